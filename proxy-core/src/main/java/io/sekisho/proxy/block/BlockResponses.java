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

    /** The status a reason is answered with. */
    public static HttpResponseStatus statusFor(Reason reason) {
        switch (reason) {
            case BAD_REQUEST:
            case AMBIGUOUS_FRAMING:
            case NOT_A_PROXY_REQUEST:
                return HttpResponseStatus.BAD_REQUEST;
            case HEADERS_TOO_LARGE:
            case PENDING_HEADS_LIMIT:
                return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            case REQUEST_LINE_TOO_LONG:
                return HttpResponseStatus.REQUEST_URI_TOO_LONG;
            case REQUEST_HEADER_TIMEOUT:
            case REQUEST_BODY_TIMEOUT:
            case REQUEST_BODY_TOO_SLOW:
                return HttpResponseStatus.REQUEST_TIMEOUT;
            case METHOD_NOT_ALLOWED:
                return HttpResponseStatus.METHOD_NOT_ALLOWED;
            case HOST_MISMATCH:
                // RFC 9110 §15.5.20: the request reached a connection that cannot serve its host.
                return HttpResponseStatus.MISDIRECTED_REQUEST;
            case DNS_FAILED:
            case UPSTREAM_CONNECT_FAILED:
            case UPSTREAM_CERT_INVALID:
            case UPSTREAM_TLS_FAILED:
            case UPSTREAM_PROTOCOL_ERROR:
                return HttpResponseStatus.BAD_GATEWAY;
            case UPSTREAM_TIMEOUT:
                return HttpResponseStatus.GATEWAY_TIMEOUT;
            case INTERNAL_ERROR:
                return HttpResponseStatus.INTERNAL_SERVER_ERROR;
            case AUDIT_UNAVAILABLE:
                return HttpResponseStatus.SERVICE_UNAVAILABLE;
            case CONNECTION_LIMIT:
                // Never written (the connection is closed unread); here so that no code says 403.
                return HttpResponseStatus.SERVICE_UNAVAILABLE;
            default:
                return HttpResponseStatus.FORBIDDEN;
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
        boolean decoded = !request.decoderResult().isFailure();
        HttpHeaders in = request.headers();
        BlockContext c = new BlockContext(decision, statusFor(decision.reason()),
                in.get(HttpHeaderNames.ACCEPT, ""), host, requestId, false,
                decoded ? DisplayPath.of(request.uri()) : "", in.get(HttpHeaderNames.CONTENT_TYPE, ""));
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
