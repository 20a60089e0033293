package io.sekisho.proxy.auth;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@code Proxy-Authorization} header of a request (RFC 9110 §11.7.2, RFC 7617): never
 * throws, and never puts the header's value into a message. What it cannot read is a reason:
 * no header (AUTH_REQUIRED), several, oversized, bad base64, not UTF-8, no colon, an empty user or
 * a control character (AUTH_MALFORMED), another scheme than Basic (AUTH_SCHEME_UNSUPPORTED).
 *
 * @param user the user name; "" when {@code refusal} is set
 * @param password the password; "" when {@code refusal} is set. Never logged, never kept in a cache key
 * @param token the base64 token as sent, the key of the caches (hashed there); "" when refused
 * @param refusal null when the header was read
 */
public record BasicCredentials(String user, String password, String token, @Nullable Reason refusal) {
    /** Longer than any user:password a person types; beyond it the header is refused unread. */
    public static final int MAX_HEADER_CHARS = 4096;
    private static final String BASIC = "basic";

    @Override
    public String toString() {
        // Records print their fields; this one must never print the password or the token.
        return "BasicCredentials[user=" + user + ", refusal=" + refusal + "]";
    }

    public boolean read() {
        return refusal == null;
    }

    /** What the request's {@code Proxy-Authorization} values say. */
    public static BasicCredentials parse(List<String> values) {
        if (values.isEmpty()) {
            return refused(Reason.AUTH_REQUIRED);
        }
        if (values.size() > 1) {
            return refused(Reason.AUTH_MALFORMED);
        }
        String v = values.get(0).strip();
        if (v.length() > MAX_HEADER_CHARS) {
            return refused(Reason.AUTH_MALFORMED);
        }
        int space = v.indexOf(' ');
        String scheme = (space < 0 ? v : v.substring(0, space)).toLowerCase(Locale.ROOT);
        if (!scheme.equals(BASIC)) {
            return refused(scheme.isEmpty() ? Reason.AUTH_MALFORMED : Reason.AUTH_SCHEME_UNSUPPORTED);
        }
        String token = space < 0 ? "" : v.substring(space + 1).strip();
        return decode(token);
    }

    private static BasicCredentials decode(String token) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return refused(Reason.AUTH_MALFORMED);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return refused(Reason.AUTH_MALFORMED);
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return refused(Reason.AUTH_MALFORMED);
        }
        return new BasicCredentials(text.substring(0, colon), text.substring(colon + 1), token, null);
    }

    private static BasicCredentials refused(Reason r) {
        return new BasicCredentials("", "", "", r);
    }
}
