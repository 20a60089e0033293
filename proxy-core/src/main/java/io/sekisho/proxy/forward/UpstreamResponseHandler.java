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

    private @Nullable ResponseRelay exchange;
    private LazyDeadline responseDeadline;
    /** System.nanoTime() when the request was sent; 0 when no response is awaited. */
    private long awaitingSince;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        responseDeadline = new LazyDeadline(ctx.executor(), this::responseTimedOut);
    }

    void bind(ResponseRelay e) {
        this.exchange = e;
    }

    void unbind(ResponseRelay e) {
        if (exchange == e) {
            exchange = null;
            awaitingSince = 0;
            responseDeadline.disarm();
        }
    }

    /** The request has been sent: the response head must begin within {@code timeoutMillis}. */
    void awaitResponse(long timeoutMillis) {
        awaitingSince = System.nanoTime();
        responseDeadline.arm(timeoutMillis);
    }

    /**
     * The final response head arrived (or the exchange no longer waits for one).
     *
     * @return nanoseconds since the request was sent (the upstream's response latency), 0 if unknown
     */
    long responseStarted() {
        responseDeadline.disarm();
        long since = awaitingSince;
        awaitingSince = 0;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    private void responseTimedOut() {
        ResponseRelay e = exchange;
        if (e != null) {
            e.onTimeout();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        responseDeadline.cancel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ResponseRelay e = exchange;
        if (e == null) {
            // Bytes nobody asked for (an origin answering twice): the connection cannot be trusted.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse r) {
            e.onHead(r);
        }
        if (msg instanceof HttpContent c) {
            e.onContent(c);
        } else if (!(msg instanceof HttpResponse)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ResponseRelay e = exchange;
        if (e != null) {
            e.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        responseDeadline.cancel();
        ResponseRelay e = exchange;
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
