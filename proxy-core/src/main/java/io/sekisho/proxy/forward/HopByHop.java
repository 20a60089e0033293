package io.sekisho.proxy.forward;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.sekisho.policy.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the headers that describe one connection rather than the message (RFC 9110 §7.6.1):
 * those named by Connection, then Connection itself, Keep-Alive, Proxy-Connection (a pre-RFC
 * client habit), TE, Trailer, Transfer-Encoding (the codec re-frames the body) and Upgrade; and
 * the proxy credentials meant for this hop (Proxy-Authorization, Proxy-Authenticate).
 */
public final class HopByHop {
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    // Netty deprecates HttpHeaderNames.KEEP_ALIVE (not an HTTP/1.1 header); clients still send it.
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString[] ALWAYS = {
        HttpHeaderNames.CONNECTION, KEEP_ALIVE, PROXY_CONNECTION, HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
        HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE,
    };

    private HopByHop() {
    }

    public static void strip(HttpHeaders h) {
        if (h.contains(HttpHeaderNames.CONNECTION)) {
            List<String> named = null;
            for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
                named = tokens(value, named);
            }
            if (named != null) {
                for (String n : named) {
                    h.remove(n);
                }
            }
        }
        for (AsciiString n : ALWAYS) {
            h.remove(n);
        }
    }

    /** Adds the comma-separated tokens of {@code value}, trimmed, empty ones left out, to {@code into}. */
    private static @Nullable List<String> tokens(String value, @Nullable List<String> into) {
        List<String> out = into;
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int from = start;
            int to = end;
            // String.trim's notion of white space: every char up to U+0020.
            while (from < to && value.charAt(from) <= ' ') {
                from++;
            }
            while (to > from && value.charAt(to - 1) <= ' ') {
                to--;
            }
            if (from < to) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(value.substring(from, to));
            }
            start = end + 1;
        }
        return out;
    }
}
