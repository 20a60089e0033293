package io.sekisho.proxy.forward;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.sekisho.policy.Nullable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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

    /**
     * One pass over the headers finds the names to remove, so only names that are present are
     * removed (a request or response usually carries one or two of them, often none).
     */
    public static void strip(HttpHeaders h) {
        List<CharSequence> remove = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            if (HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)) {
                remove = add(name, remove);
                addTokens(e.getValue().toString(), remove);
            } else if (isFixed(name)) {
                remove = add(name, remove);
            }
        }
        if (remove != null) {
            for (CharSequence n : remove) {
                h.remove(n);
            }
        }
    }

    private static boolean isFixed(CharSequence name) {
        for (AsciiString n : ALWAYS) {
            if (n.length() == name.length() && n.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<CharSequence> add(CharSequence name, @Nullable List<CharSequence> into) {
        List<CharSequence> out = into == null ? new ArrayList<>(4) : into;
        out.add(name);
        return out;
    }

    /** Adds the comma-separated tokens of {@code value}, trimmed, empty ones left out, to {@code into}. */
    private static void addTokens(String value, List<CharSequence> into) {
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
                into.add(value.substring(from, to));
            }
            start = end + 1;
        }
    }
}
