package io.sekisho.proxy.auth;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.util.Base64;

/**
 * Reads a {@code Proxy-Authorization: Negotiate <base64>} value (RFC 4559 §4.2): never throws,
 * and never puts the token into a message or into its own {@code toString}.
 */
final class NegotiateToken {
    /**
     * Active Directory's largest Kerberos token (MaxTokenSize, 48 000 bytes since Windows 8) in
     * base64, with room to spare: a user in many groups has a large PAC. Longer is refused unread.
     */
    static final int MAX_CHARS = 65_536;
    private static final String NEGOTIATE = "negotiate";

    private final byte[] token;
    private final @Nullable Reason refusal;

    private NegotiateToken(byte[] token, @Nullable Reason refusal) {
        this.token = token;
        this.refusal = refusal;
    }

    /** Whether a header value names the Negotiate scheme (case-insensitive, RFC 9110 §11.1). */
    static boolean names(String value) {
        String v = value.strip();
        return v.regionMatches(true, 0, NEGOTIATE, 0, NEGOTIATE.length())
                && (v.length() == NEGOTIATE.length() || v.charAt(NEGOTIATE.length()) == ' ');
    }

    /** An empty, oversized or badly encoded token is AUTH_MALFORMED. */
    static NegotiateToken parse(String value) {
        String v = value.strip();
        if (v.length() > MAX_CHARS || !names(v)) {
            return refused();
        }
        String b64 = v.substring(NEGOTIATE.length()).strip();
        if (b64.isEmpty()) {
            return refused();
        }
        try {
            return new NegotiateToken(Base64.getDecoder().decode(b64), null);
        } catch (IllegalArgumentException e) {
            return refused();
        }
    }

    private static NegotiateToken refused() {
        return new NegotiateToken(new byte[0], Reason.AUTH_MALFORMED);
    }

    /** The decoded SPNEGO (or raw Kerberos) token; empty when refused. */
    byte[] token() {
        return token;
    }

    /** Null when the token was read. */
    @Nullable Reason refusal() {
        return refusal;
    }

    @Override
    public String toString() {
        return "NegotiateToken[" + token.length + " bytes, refusal=" + refusal + "]";
    }
}
