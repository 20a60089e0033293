package io.sekisho.proxy.block;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Reason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one factory for every response Sekisho itself writes instead of the origin's: policy
 * denials, protocol errors and upstream failures (STYLE.md rule 13). Each carries the stable
 * {@code X-Sekisho-Reason} header and the request id, and is never cached.
 */
public final class BlockResponses {
    public static final String REASON_HEADER = "X-Sekisho-Reason";
    public static final String REQUEST_ID_HEADER = "X-Sekisho-Request-Id";

    private final List<BlockRenderer> renderers;

    /** @param renderers tried in order before the plain-text fallback; the first answer wins */
    public BlockResponses(List<BlockRenderer> renderers) {
        List<BlockRenderer> all = new ArrayList<>(renderers);
        all.add(PlainTextBlockRenderer.INSTANCE);
        this.renderers = List.copyOf(all);
    }

    /** Plain text only. */
    public static BlockResponses plainText() {
        return new BlockResponses(List.of());
    }

    /**
     * The production set: the HTML page for browser navigations, the AWS error dialects for API
     * calls, plain text for everything else.
     *
     * @param contact {@code blockPage.contact}, shown on the HTML page ("" when unset)
     */
    public static BlockResponses standard(String contact) {
        return new BlockResponses(List.of(new HtmlBlockPageRenderer(contact), AwsErrorRenderer.INSTANCE));
    }

    /** The status a reason is answered with; 403 for every reason not listed. */
    public static HttpResponseStatus statusFor(Reason reason) {
        return STATUSES.getOrDefault(reason, HttpResponseStatus.FORBIDDEN);
    }

    private static final Map<Reason, HttpResponseStatus> STATUSES = statuses();

    private static Map<Reason, HttpResponseStatus> statuses() {
        Map<Reason, HttpResponseStatus> m = new EnumMap<>(Reason.class);
        status(m, HttpResponseStatus.BAD_REQUEST, Reason.BAD_REQUEST, Reason.AMBIGUOUS_FRAMING,
                Reason.NOT_A_PROXY_REQUEST);
        status(m, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, Reason.HEADERS_TOO_LARGE,
                Reason.PENDING_HEADS_LIMIT);
        status(m, HttpResponseStatus.REQUEST_URI_TOO_LONG, Reason.REQUEST_LINE_TOO_LONG);
        status(m, HttpResponseStatus.REQUEST_TIMEOUT, Reason.REQUEST_HEADER_TIMEOUT, Reason.REQUEST_BODY_TIMEOUT,
                Reason.REQUEST_BODY_TOO_SLOW);
        status(m, HttpResponseStatus.METHOD_NOT_ALLOWED, Reason.METHOD_NOT_ALLOWED);
        // RFC 9110 §15.5.20: the request reached a connection that cannot serve its host.
        status(m, HttpResponseStatus.MISDIRECTED_REQUEST, Reason.HOST_MISMATCH);
        status(m, HttpResponseStatus.BAD_GATEWAY, Reason.DNS_FAILED, Reason.UPSTREAM_CONNECT_FAILED,
                Reason.UPSTREAM_CERT_INVALID, Reason.UPSTREAM_TLS_FAILED, Reason.UPSTREAM_PROTOCOL_ERROR);
        status(m, HttpResponseStatus.GATEWAY_TIMEOUT, Reason.UPSTREAM_TIMEOUT);
        status(m, HttpResponseStatus.INTERNAL_SERVER_ERROR, Reason.INTERNAL_ERROR);
        status(m, HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED, Reason.AUTH_REQUIRED, Reason.AUTH_MALFORMED,
                Reason.AUTH_SCHEME_UNSUPPORTED, Reason.AUTH_FAILED, Reason.AUTH_KERBEROS_CLOCK_SKEW);
        status(m, HttpResponseStatus.TOO_MANY_REQUESTS, Reason.AUTH_THROTTLED);
        status(m, HttpResponseStatus.SERVICE_UNAVAILABLE, Reason.AUTH_BACKEND_UNAVAILABLE,
                Reason.AUTH_KERBEROS_KEY_UNAVAILABLE, Reason.AUDIT_UNAVAILABLE);
        // Never written (the connection is closed unread); here so that no code says 403.
        status(m, HttpResponseStatus.SERVICE_UNAVAILABLE, Reason.CLIENT_NOT_ALLOWED, Reason.CONNECTION_LIMIT);
        return m;
    }

    private static void status(Map<Reason, HttpResponseStatus> m, HttpResponseStatus status, Reason... reasons) {
        for (Reason r : reasons) {
            m.put(r, status);
        }
    }

    /**
     * The response for a denied or failed request, with what the renderers need read from its
     * head: the Accept header (HTML page or not), the path without its query (shown on the page)
     * and the Content-Type (the JSON dialect's version). A head that failed to decode gives none.
     *
     * @param keepAlive false adds {@code Connection: close}; the caller closes after the write
     */
    public FullHttpResponse forRequest(Decision decision, HttpRequest request, String host, String requestId,
            boolean keepAlive, ByteBufAllocator alloc) {
        return forRequest(decision, request, host, requestId, "", keepAlive, alloc);
    }

    /** As above, for a request of {@code user} ({@code auth}; "" when anonymous), whom the HTML page names. */
    public FullHttpResponse forRequest(Decision decision, HttpRequest request, String host, String requestId,
            String user, boolean keepAlive, ByteBufAllocator alloc) {
        boolean decoded = !request.decoderResult().isFailure();
        HttpHeaders in = request.headers();
        BlockContext c = new BlockContext(decision, statusFor(decision.reason()),
                in.get(HttpHeaderNames.ACCEPT, ""), host, requestId, false,
                decoded ? DisplayPath.of(request.uri()) : "", in.get(HttpHeaderNames.CONTENT_TYPE, ""), user);
        return build(c, decoded ? request.protocolVersion() : HttpVersion.HTTP_1_1, keepAlive, alloc);
    }

    /**
     * The response for a denied or failed request when only the Accept header is at hand.
     *
     * @param accept the request's Accept header, or "" (selects the HTML page for text/html)
     * @param keepAlive false adds {@code Connection: close}; the caller closes after the write
     */
    public FullHttpResponse forRequest(Decision decision, HttpVersion version, String accept, String host,
            String requestId, boolean keepAlive, ByteBufAllocator alloc) {
        return build(new BlockContext(decision, statusFor(decision.reason()), accept, host, requestId, false),
                version, keepAlive, alloc);
    }

    /** The response for a refused CONNECT: always plain text, always followed by a close. */
    public FullHttpResponse forConnect(Decision decision, HttpVersion version, String host, String requestId,
            ByteBufAllocator alloc) {
        return build(new BlockContext(decision, statusFor(decision.reason()), "", host, requestId, true),
                version, false, alloc);
    }

    private FullHttpResponse build(BlockContext c, HttpVersion version, boolean keepAlive, ByteBufAllocator alloc) {
        BlockRenderer.Body body = render(c);
        FullHttpResponse r = new DefaultFullHttpResponse(version, c.status(),
                alloc.buffer(body.bytes().length).writeBytes(body.bytes()));
        HttpHeaders h = r.headers();
        for (Map.Entry<String, String> e : body.headers()) {
            h.set(e.getKey(), e.getValue());
        }
        h.set(REASON_HEADER, c.decision().reason().name());
        h.set(REQUEST_ID_HEADER, c.requestId());
        h.set(HttpHeaderNames.CONTENT_TYPE, body.contentType());
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.bytes().length);
        h.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (!keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (HttpVersion.HTTP_1_0.equals(version)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return r;
    }

    private BlockRenderer.Body render(BlockContext c) {
        for (BlockRenderer r : renderers) {
            BlockRenderer.Body b = r.render(c);
            if (b != null) {
                return b;
            }
        }
        throw new IllegalStateException("the plain-text renderer always answers");
    }
}
