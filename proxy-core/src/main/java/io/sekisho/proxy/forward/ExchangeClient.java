package io.sekisho.proxy.forward;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.sekisho.policy.Decision;
import io.sekisho.policy.RequestFacts;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.http1.ExchangeEvent;

/**
 * The client's side of one exchange: the HTTP version and keep-alive it asked for, the response
 * head or block response it gets, and what happens to its connection at the end (the next
 * request, or a close after what was written).
 */
final class ExchangeClient {
    private final ProxyServices services;
    private final ChannelHandlerContext ctx;
    private final HttpVersion version;
    private boolean keepAlive;

    /** @param head the request head as the client sent it (before {@link MessageHeads#prepareRequest}) */
    ExchangeClient(ProxyServices services, ChannelHandlerContext ctx, HttpRequest head) {
        this.services = services;
        this.ctx = ctx;
        this.version = head.protocolVersion();
        this.keepAlive = HttpUtil.isKeepAlive(head);
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    /**
     * Rewrites the origin's final response head for the client and writes it, not flushed: the
     * body usually came in the same read, and head and body then leave in one TLS record and
     * one syscall (flushed by the last content or at the end of the upstream read).
     */
    ChannelFuture writeHead(HttpResponse r, HttpRequest request) {
        keepAlive = MessageHeads.prepareResponse(r, request.method(), version, keepAlive && !services.draining());
        return ctx.write(r);
    }

    /**
     * Answers {@code d} with the block response; the connection stays open only when
     * {@code mayKeepAlive}, the client asked for it and the proxy is not draining.
     *
     * @param head the request head: the renderers read its path and Content-Type (the AWS error dialect)
     * @return whether the connection stays open
     */
    boolean block(Decision d, HttpRequest head, RequestFacts facts, String user, boolean mayKeepAlive) {
        boolean k = mayKeepAlive && keepAlive && !services.draining();
        FullHttpResponse block = services.blocks().forRequest(d, head, facts.host().value(), facts.id(), user, k,
                ctx.alloc());
        block.setProtocolVersion(version); // prepareRequest made the head HTTP/1.1
        ctx.writeAndFlush(block);
        keepAlive = k;
        return k;
    }

    /** The exchange ended: on a kept-alive connection the next request is read, else it closes after the writes. */
    void complete(boolean requestEnded) {
        if (keepAlive && requestEnded && !services.draining() && ctx.channel().isActive()) {
            ctx.pipeline().fireUserEventTriggered(ExchangeEvent.COMPLETE);
            ctx.read();
        } else {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
