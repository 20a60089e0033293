package io.sekisho.proxy.channel;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import io.sekisho.policy.Nullable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The field rules every HTTP/2 header block is held to, a request's from the client as a
 * response's from the origin (RFC 9113 §8.2.1 and §8.2.2). A field that HTTP/1.1 would read
 * differently (a CR or LF in a value, a connection-specific header) is how a message smuggles a
 * second one across a proxy that converts between the versions, so each makes the block
 * malformed. Pure; the problem text never quotes a name or value.
 */
public final class Http2Fields {
    /** RFC 9113 §8.2.2: fields HTTP/2 does not carry; TE is allowed only as "trailers". */
    private static final Set<String> CONNECTION_SPECIFIC =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");
    private static final String EXTENSION_PREFIX = "x-http2-";

    private Http2Fields() {
    }

    /**
     * The first problem of {@code headers}, or null when each field is well formed.
     *
     * @param pseudo the pseudo-header names allowed in this block (empty for trailers)
     */
    public static @Nullable String problem(Http2Headers headers, Set<String> pseudo) {
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            CharSequence name = e.getKey();
            boolean isPseudo = name.length() > 0 && name.charAt(0) == ':';
            if (isPseudo && !pseudo.contains(name.toString())) {
                return "pseudo-header not allowed here";
            }
            if (!validName(name, isPseudo ? 1 : 0)) {
                return "field name with upper case, a control or a separator";
            }
            if (!validValue(e.getValue())) {
                return "field value with CR, LF or NUL, or edge whitespace";
            }
            String lower = name.toString();
            if (CONNECTION_SPECIFIC.contains(lower)
                    || (lower.equals("te") && !"trailers".contentEquals(e.getValue()))) {
                return "connection-specific field";
            }
        }
        for (String p : pseudo) {
            if (headers.getAll(p).size() > 1) {
                return "repeated " + p;
            }
        }
        return null;
    }

    /**
     * Removes the extension headers Netty's HTTP/2-to-HTTP conversion adds ({@code x-http2-stream-id},
     * {@code x-http2-scheme}, ...), and a peer's own headers of those names: they describe one
     * hop's stream and must not cross to the other side.
     */
    public static void removeExtensionHeaders(HttpHeaders headers) {
        List<String> extension = new ArrayList<>();
        for (String name : headers.names()) {
            if (name.toLowerCase(Locale.ROOT).startsWith(EXTENSION_PREFIX)) {
                extension.add(name);
            }
        }
        extension.forEach(headers::remove);
    }

    /** RFC 9113 §8.2.1: a token in lower case (RFC 9110 §5.6.2 tchar, A-Z excluded). */
    private static boolean validName(CharSequence name, int from) {
        if (name.length() <= from) {
            return false;
        }
        for (int i = from; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9113 §8.2.1: no NUL, LF or CR anywhere, no space or tab at either end. */
    private static boolean validValue(CharSequence value) {
        int n = value.length();
        if (n > 0 && (isBlank(value.charAt(0)) || isBlank(value.charAt(n - 1)))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
