package io.sekisho.proxy.forward;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.channel.LazyDeadline;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a pooled proxyToUpstream HTTP connection: hands the response to the
 * exchange that currently owns the connection. Between exchanges it owns nothing, and the
 * pool's parked handler sits in front of it. It also keeps the connection's
 * {@code timeouts.upstreamResponse} deadline: armed once per request, so one lazily re-armed
 * timer per connection rather than a task scheduled and cancelled per exchange.
 */
public final class UpstreamResponseHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(UpstreamResponseHandler.class);

    private @Nullable ForwardExchange exchange;
    private LazyDeadline responseDeadline;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        responseDeadline = new LazyDeadline(ctx.executor(), this::responseTimedOut);
    }

    void bind(ForwardExchange e) {
        this.exchange = e;
    }

    void unbind(ForwardExchange e) {
        if (exchange == e) {
            exchange = null;
            responseDeadline.disarm();
        }
    }

    /** The request has been sent: the response head must begin within {@code timeoutMillis}. */
    void awaitResponse(long timeoutMillis) {
        responseDeadline.arm(timeoutMillis);
    }

    /** The final response head arrived (or the exchange no longer waits for one). */
    void responseStarted() {
        responseDeadline.disarm();
    }

    private void responseTimedOut() {
        ForwardExchange e = exchange;
        if (e != null) {
            e.onResponseTimeout();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        responseDeadline.cancel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ForwardExchange e = exchange;
        if (e == null) {
            // Bytes nobody asked for (an origin answering twice): the connection cannot be trusted.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse r) {
            e.onResponseHead(r);
        }
        if (msg instanceof HttpContent c) {
            e.onResponseContent(c);
        } else if (!(msg instanceof HttpResponse)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ForwardExchange e = exchange;
        if (e != null) {
            e.flushClient();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        responseDeadline.cancel();
        ForwardExchange e = exchange;
        if (e != null) {
            e.onUpstreamClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("upstream connection failed: {}", cause.toString());
        } else {
            // Only the class: a decoder message could quote a header value.
            log.warn("upstream connection failed: {}", cause.getClass().getName());
        }
        ctx.close();
    }
}
