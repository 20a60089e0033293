package io.sekisho.proxy.h2;

import io.netty.handler.codec.http2.Http2Headers;
import io.sekisho.policy.Nullable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What makes an HTTP/2 request's header block malformed (RFC 9113 §8.2 and §8.3), checked on
 * the decoded block before it becomes an HTTP/1.1 request for the policy and the origin. A field
 * that HTTP/1.1 would read differently (a CR or LF in a value, a connection-specific header, two
 * lengths) is how a request smuggles a second one past a proxy that converts (h2-to-h1
 * desynchronisation), so each is refused, not repaired. Pure; the problem text names no value.
 */
final class RequestHeaderRules {
    /** RFC 9113 §8.2.2: fields HTTP/2 does not carry; TE is allowed only as "trailers". */
    private static final Set<String> CONNECTION_SPECIFIC =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");
    private static final Set<String> REQUEST_PSEUDO = Set.of(":method", ":scheme", ":authority", ":path");

    private RequestHeaderRules() {
    }

    /** The problem of a request's header block, or null when it is well formed. */
    static @Nullable String requestProblem(Http2Headers headers) {
        String fields = fieldProblem(headers, true);
        if (fields != null) {
            return fields;
        }
        for (String pseudo : REQUEST_PSEUDO) {
            if (headers.getAll(pseudo).size() > 1) {
                return "repeated " + pseudo;
            }
        }
        CharSequence method = headers.method();
        if (method == null) {
            return "no :method";
        }
        if ("CONNECT".contentEquals(method)) {
            return "CONNECT inside an intercepted connection";
        }
        return targetProblem(headers);
    }

    /** RFC 9113 §8.3.1: scheme, path and authority of a request that is not a CONNECT. */
    private static @Nullable String targetProblem(Http2Headers headers) {
        CharSequence scheme = headers.scheme();
        if (scheme == null || !"https".contentEquals(scheme)) {
            return "missing or not-https :scheme";
        }
        CharSequence path = headers.path();
        if (path == null || path.length() == 0
                || (path.charAt(0) != '/' && !("*".contentEquals(path) && "OPTIONS".contentEquals(headers.method())))) {
            return "missing or not origin-form :path";
        }
        CharSequence authority = headers.authority();
        List<CharSequence> hosts = headers.getAll("host");
        if (hosts.size() > 1) {
            return "repeated host";
        }
        if (authority == null && hosts.isEmpty()) {
            return "no :authority and no host";
        }
        if (authority != null && !hosts.isEmpty() && !authority.toString().equals(hosts.get(0).toString())) {
            return ":authority and host differ";
        }
        List<CharSequence> lengths = headers.getAll("content-length");
        if (lengths.size() > 1 || (lengths.size() == 1 && !digits(lengths.get(0)))) {
            return "content-length not one decimal number";
        }
        return null;
    }

    /** Trailers: at the end of the stream, fields only, no pseudo-header (RFC 9113 §8.1). */
    static @Nullable String trailersProblem(Http2Headers headers, boolean endStream) {
        if (!endStream) {
            return "a second header block that does not end the stream";
        }
        return fieldProblem(headers, false);
    }

    private static @Nullable String fieldProblem(Http2Headers headers, boolean pseudoAllowed) {
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            CharSequence name = e.getKey();
            boolean pseudo = name.length() > 0 && name.charAt(0) == ':';
            if (pseudo && (!pseudoAllowed || !REQUEST_PSEUDO.contains(name.toString()))) {
                return "pseudo-header not allowed here";
            }
            if (!validName(name, pseudo ? 1 : 0)) {
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
        return null;
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

    private static boolean digits(CharSequence s) {
        if (s.length() == 0 || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A method for the audit line: printable ASCII only, at most 32 characters. */
    static String printable(CharSequence method) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < method.length() && b.length() < 32; i++) {
            char c = method.charAt(i);
            b.append(c > 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
