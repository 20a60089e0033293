package io.sekisho.policy.aws;

import io.sekisho.policy.HostName;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.SimpleHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test builder for {@link RequestFacts}: {@code Req.of("PUT", "https://b.s3.amazonaws.com/k").header(…)}. */
public final class Req {
    private final String method;
    private final String scheme;
    private final String host;
    private final int port;
    private final String path;
    private final String query;
    private final List<String[]> headers = new ArrayList<>();
    private ByteBuffer body;
    private boolean complete;

    private Req(String method, String url) {
        this.method = method;
        int schemeEnd = url.indexOf("://");
        scheme = url.substring(0, schemeEnd);
        int pathStart = url.indexOf('/', schemeEnd + 3);
        String authority = pathStart < 0 ? url.substring(schemeEnd + 3) : url.substring(schemeEnd + 3, pathStart);
        String rest = pathStart < 0 ? "/" : url.substring(pathStart);
        int colon = authority.lastIndexOf(':');
        host = colon < 0 ? authority : authority.substring(0, colon);
        port = colon < 0 ? (scheme.equals("https") ? 443 : 80) : Integer.parseInt(authority.substring(colon + 1));
        int q = rest.indexOf('?');
        path = q < 0 ? rest : rest.substring(0, q);
        query = q < 0 ? "" : rest.substring(q + 1);
        headers.add(new String[] {"Host", authority});
    }

    public static Req of(String method, String url) {
        return new Req(method, url);
    }

    public Req header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    /** The whole body, with a matching Content-Length. */
    public Req body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** The first bytes of a longer body (bodyComplete=false). */
    public Req partialBody(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8), false);
    }

    public Req body(byte[] bytes, boolean isComplete) {
        body = ByteBuffer.wrap(bytes);
        complete = isComplete;
        if (isComplete) {
            headers.add(new String[] {"Content-Length", Integer.toString(bytes.length)});
        } else {
            headers.add(new String[] {"Content-Length", Integer.toString(bytes.length * 10)});
        }
        return this;
    }

    /** Declares a body by its headers only (the proxy has not read it). */
    public Req declaredBody(int length) {
        headers.add(new String[] {"Content-Length", Integer.toString(length)});
        return this;
    }

    public RequestFacts facts() {
        return new RequestFacts("t-1", "127.0.0.1:50000", method, scheme, HostName.parse(host), port, path, query,
                SimpleHeaders.fromLines(headers), body == null ? null : body.asReadOnlyBuffer(), complete, null);
    }
}
