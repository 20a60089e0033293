package io.sekisho.proxy.channel;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.sekisho.policy.Nullable;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection on which nothing was read or written for {@code timeouts.idle}. In a
 * tunnel each side has one; closing one side closes the other through the relay.
 *
 * <p>A read or a write only sets a flag; a check every quarter of the timeout turns the flag
 * into a time. So a connection closes between {@code idle} and 1.25 × {@code idle} after its
 * last byte, never earlier, and the per-message cost is one field write. (Netty's
 * {@code IdleStateHandler}, used before, reads the clock on every read and adds a listener to
 * every write's promise; docs/performance.md has the difference measured.)
 * A write counts when it is made, not when it completes: a write that never completes leaves
 * the connection silent, and it is closed after the timeout either way.
 */
public final class IdleTimeoutHandler extends ChannelDuplexHandler {
    private static final int CHECKS_PER_TIMEOUT = 4;

    private final long idleNanos;
    private final long checkNanos;
    private boolean busy;
    private long lastBusyNanos;
    private @Nullable ScheduledFuture<?> check;

    public IdleTimeoutHandler(Duration idle) {
        this.idleNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), idle.toNanos());
        this.checkNanos = Math.max(1, idleNanos / CHECKS_PER_TIMEOUT);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        busy = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        busy = true;
        ctx.write(msg, promise);
    }

    private void start(ChannelHandlerContext ctx) {
        if (check != null) {
            return;
        }
        lastBusyNanos = System.nanoTime();
        schedule(ctx);
    }

    private void schedule(ChannelHandlerContext ctx) {
        check = ctx.executor().schedule(() -> check(ctx), checkNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (check == null || !ctx.channel().isOpen()) {
            return;
        }
        long now = System.nanoTime();
        if (busy) {
            busy = false;
            lastBusyNanos = now;
        } else if (now - lastBusyNanos >= idleNanos) {
            check = null;
            ctx.close();
            return;
        }
        schedule(ctx);
    }

    private void stop() {
        ScheduledFuture<?> c = check;
        check = null;
        if (c != null) {
            c.cancel(false);
        }
    }
}
