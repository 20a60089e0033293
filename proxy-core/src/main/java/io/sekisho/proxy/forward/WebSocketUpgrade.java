package io.sekisho.proxy.forward;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.channel.SplicedChannels;
import io.sekisho.proxy.http1.PipeliningGate;
import java.util.List;

/**
 * The HTTP/1.1 upgrade to WebSocket (RFC 6455 §4), the only upgrade Sekisho forwards. The upgrade
 * request is an ordinary request to the policy (it sees {@code Upgrade: websocket} among the
 * headers) and is decided before anything goes upstream. Only when allowed do the upgrade
 * headers go to the origin; only its 101 with {@code Upgrade: websocket} switches the
 * connections, to a byte relay with read-after-write backpressure ({@link WebSocketSession}).
 * Any other upgrade (h2c, RFC 9113 §3.1 removed it; TLS; a list of protocols) is stripped as a
 * hop-by-hop header, so the origin sees and answers a plain request.
 */
final class WebSocketUpgrade {
    private static final String WEBSOCKET = HttpHeaderValues.WEBSOCKET.toString();

    private WebSocketUpgrade() {
    }

    /**
     * Prepares the head sent upstream ({@link MessageHeads#prepareRequest}), with the upgrade put
     * back when this is a WebSocket upgrade: this hop asks for it again.
     *
     * @return whether it is one
     */
    static boolean prepareRequest(HttpRequest head, RequestTarget target, boolean hasBody) {
        boolean webSocket = requested(head);
        MessageHeads.prepareRequest(head, target, hasBody);
        if (webSocket) {
            restore(head.headers());
        }
        return webSocket;
    }

    /** RFC 6455 §4.1: a GET, HTTP/1.1, no body, {@code Connection: upgrade}, {@code Upgrade: websocket} alone. */
    static boolean requested(HttpRequest r) {
        if (!r.method().equals(HttpMethod.GET) || !r.protocolVersion().equals(HttpVersion.HTTP_1_1)
                || !r.headers().contains(HttpHeaderNames.UPGRADE) || MessageHeads.requestHasBody(r)) {
            return false; // most requests: no Upgrade header, and no list of its values built
        }
        List<String> upgrades = r.headers().getAll(HttpHeaderNames.UPGRADE);
        return upgrades.size() == 1 && upgrades.get(0).strip().equalsIgnoreCase(WEBSOCKET)
                && r.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    private static void restore(HttpHeaders h) {
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        h.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }

    /**
     * Why the origin's 101 cannot switch this exchange, or null when it can: the request was no
     * WebSocket upgrade, or the 101 lacks {@code Upgrade: websocket} and {@code Connection:
     * upgrade} (RFC 6455 §4.2.2): UPSTREAM_PROTOCOL_ERROR; the client sent more before the 101
     * (RFC 6455 §4.1 forbids it), which was read as HTTP and waits: BAD_REQUEST.
     */
    static @Nullable Reason refusal(@Nullable ProtocolSwitch webSocket, HttpResponse r, ChannelHandlerContext client) {
        HttpHeaders h = r.headers();
        if (webSocket == null || !h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return Reason.UPSTREAM_PROTOCOL_ERROR;
        }
        PipeliningGate gate = client.pipeline().get(PipeliningGate.class);
        return gate != null && gate.holding() ? Reason.BAD_REQUEST : null;
    }

    /**
     * Writes the 101 to the client (the origin's headers, hop-by-hop ones removed except the
     * upgrade's own, Via added) and hands both connections to the relay, whose audit line ends
     * the exchange.
     */
    static void start(ChannelHandlerContext client, HttpResponse r, UpstreamLink link, ProtocolSwitch switcher,
            ExchangeAudit audit, Decision decision) {
        link.unbind();
        Channel upstream = link.channel();
        audit.status(r.status().code());
        HttpHeaders h = r.headers().copy();
        HopByHop.strip(h);
        restore(h);
        h.add(HttpHeaderNames.VIA, MessageHeads.VIA);
        FullHttpResponse head = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER, h, EmptyHttpHeaders.INSTANCE);
        WebSocketSession session = new WebSocketSession(client.channel(), upstream, audit, decision);
        client.writeAndFlush(head).addListener(f -> {
            if (!f.isSuccess()) {
                session.close();
            }
        });
        switcher.toWebSocket(client, session);
        client.channel().read();
        upstream.read();
    }

    /** One WebSocket after its 101: the bytes both ways, and its audit line when it closes. */
    private static final class WebSocketSession extends SplicedChannels {
        private final ExchangeAudit audit;
        private final Decision decision;

        WebSocketSession(Channel client, Channel upstream, ExchangeAudit audit, Decision decision) {
            super(client, upstream);
            this.audit = audit;
            this.decision = decision;
        }

        /** The exchange's one line: status 101, the frames' bytes each way, from the request to the close. */
        @Override
        protected void closed(long up, long down) {
            audit.relayed(up, down);
            audit.write(decision);
        }
    }
}
