package io.sekisho.proxy.forward;

import io.netty.handler.codec.http.HttpHeaders;
import io.sekisho.policy.Headers;
import io.sekisho.policy.Nullable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The policy's read-only {@link Headers} view over Netty's headers. Nothing is copied for
 * by-name lookups; positional access (rarely used: evidence extractors look up by name) builds
 * an index of the entries on first use.
 */
public final class NettyHeaders implements Headers {
    private final HttpHeaders headers;
    private Map.Entry<String, String> @Nullable [] index;

    public NettyHeaders(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public String get(String name) {
        return headers.get(name);
    }

    @Override
    public List<String> getAll(String name) {
        return headers.getAll(name);
    }

    @Override
    public int size() {
        return headers.size();
    }

    @Override
    public String name(int i) {
        return entries()[i].getKey();
    }

    @Override
    public String value(int i) {
        return entries()[i].getValue();
    }

    // Java cannot create an array of a generic type; the raw array holds only String entries.
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map.Entry<String, String>[] entries() {
        Map.Entry<String, String>[] a = index;
        if (a == null) {
            a = new Map.Entry[headers.size()];
            Iterator<Map.Entry<String, String>> it = headers.iteratorAsString();
            for (int i = 0; i < a.length && it.hasNext(); i++) {
                a[i] = it.next();
            }
            index = a;
        }
        return a;
    }
}
