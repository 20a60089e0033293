package io.sekisho.proxy.h2;

import io.netty.handler.codec.http2.Http2Headers;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.channel.Http2Fields;
import java.util.List;
import java.util.Set;

/**
 * What makes an HTTP/2 request's header block malformed (RFC 9113 §8.2 and §8.3), checked on
 * the decoded block before it becomes an HTTP/1.1 request for the policy and the origin. A field
 * that HTTP/1.1 would read differently (a CR or LF in a value, a connection-specific header, two
 * lengths) is how a request smuggles a second one past a proxy that converts (h2-to-h1
 * desynchronisation), so each is refused, not repaired. Pure; the problem text names no value.
 */
final class RequestHeaderRules {
    private static final Set<String> REQUEST_PSEUDO = Set.of(":method", ":scheme", ":authority", ":path");

    private RequestHeaderRules() {
    }

    /** The problem of a request's header block, or null when it is well formed. */
    static @Nullable String requestProblem(Http2Headers headers) {
        String fields = fieldProblem(headers, true);
        if (fields != null) {
            return fields;
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
        return Http2Fields.problem(headers, pseudoAllowed ? REQUEST_PSEUDO : Set.of());
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
