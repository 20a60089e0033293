package io.sekisho.proxy.http1;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Lets one HTTP exchange through at a time. A pipelining client (RFC 9112 §9.3.2) may send the
 * next request before the current response; the decoder then hands us that request at once,
 * and we hold it until {@link ExchangeEvent#COMPLETE} so that responses go out in order. Only
 * what one socket read already held can queue up: nobody reads the socket while a request is
 * held.
 *
 * <p>Output governs input (issue 18 point 2): after an exchange, the next one starts, and the
 * socket is read again, only once the client connection is writable, that is once the client
 * has read what was written to it down to the low water mark. A client that pipelines requests
 * and never reads their responses then holds at most one write buffer of them, not the heap.
 */
public final class PipeliningGate extends ChannelDuplexHandler {
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    /** A request was let through and its exchange has not completed. */
    private boolean busy;
    /** The request let through has been passed up to its last content. */
    private boolean currentRequestEnded = true;
    /** An exchange completed while the client was not reading: wait until it is writable. */
    private boolean waitingForClient;
    /** A read was asked for while {@link #waitingForClient}. */
    private boolean readDeferred;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject)) {
            ctx.fireChannelRead(msg);
            return;
        }
        // A refused request completes within this call, so the decoder hands over the next one
        // from the same socket read at once: it waits too while the client is not reading.
        if (!held.isEmpty() || waitingForClient || (busy && currentRequestEnded)) {
            held.add(msg);
            return;
        }
        pass(ctx, msg);
    }

    private void pass(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            busy = true;
            currentRequestEnded = false;
        }
        if (msg instanceof LastHttpContent) {
            currentRequestEnded = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ExchangeEvent.COMPLETE) {
            busy = false;
            ctx.fireUserEventTriggered(evt);
            if (!ctx.channel().isWritable()) {
                waitingForClient = true;
                return;
            }
            drain(ctx);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Passes held messages until the next exchange has its whole request or the queue is empty. */
    private void drain(ChannelHandlerContext ctx) {
        while (!held.isEmpty() && !(busy && currentRequestEnded)) {
            pass(ctx, held.poll());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (waitingForClient && ctx.channel().isWritable()) {
            waitingForClient = false;
            drain(ctx);
            if (readDeferred) {
                readDeferred = false;
                read(ctx);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (waitingForClient) {
            readDeferred = true;
            return;
        }
        // A held request's body is served from the queue before the socket is read again.
        if (!held.isEmpty() && !(busy && currentRequestEnded)) {
            drain(ctx);
            return;
        }
        if (held.isEmpty()) {
            ctx.read();
        }
    }

    /** True while requests are held back (the connection then cannot switch to a tunnel). */
    public boolean holding() {
        return !held.isEmpty();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
    }
}
