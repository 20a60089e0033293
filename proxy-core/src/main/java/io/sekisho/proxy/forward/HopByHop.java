package io.sekisho.proxy.forward;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
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
        List<String> named = null;
        for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    if (named == null) {
                        named = new ArrayList<>(2);
                    }
                    named.add(t);
                }
            }
        }
        if (named != null) {
            for (String n : named) {
                h.remove(n);
            }
        }
        for (AsciiString n : ALWAYS) {
            h.remove(n);
        }
    }
}
