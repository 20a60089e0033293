package io.sekisho.proxy.http1;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.channel.LazyDeadline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code timeouts.requestBody} and {@code limits.minRequestBodyRate}: a request body must end
 * within the deadline and, from its first byte on, keep up the minimum rate. Without them a body
 * trickled one byte every few seconds holds a connection for ever, because each byte resets
 * {@code timeouts.idle}.
 *
 * <p>The rate counts only time the proxy spends waiting for the client: from a {@code read()}
 * the forwarder asks for to the next body bytes. Time the forwarder holds the body back — the
 * policy deciding, an upstream slower than the client — is not the client's. Over each
 * {@code requestBodyRateWindow} of waiting, {@code minRequestBodyRate} × window bytes must
 * arrive. Measuring from the first byte leaves out a client waiting for {@code 100 Continue}.
 *
 * <p>On either limit a {@link RequestBodyTimeout} goes to the forwarder, whose exchange answers
 * 408 (unless its response has started), audits the reason and closes. Both timers are
 * {@link LazyDeadline}s, armed per request body.
 */
public final class RequestBodyTimeoutHandler extends ChannelDuplexHandler {
    private final long totalMillis;
    private final long minBytesPerSecond;
    private final long windowNanos;
    private LazyDeadline deadline;
    private LazyDeadline windowEnd;
    private boolean inBody;
    private boolean started;
    private boolean waiting;
    private long waitingSince;
    /** Time spent waiting for the client in the current window, and what arrived in it. */
    private long waitedNanos;
    private long windowBytes;

    public RequestBodyTimeoutHandler(Duration total, SekishoConfig.Limits limits) {
        this.totalMillis = total.toMillis();
        this.minBytesPerSecond = limits.minRequestBodyRate();
        this.windowNanos = limits.requestBodyRateWindow().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = new LazyDeadline(ctx.executor(), () -> expired(ctx, Reason.REQUEST_BODY_TIMEOUT));
        windowEnd = new LazyDeadline(ctx.executor(), () -> windowPassed(ctx));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && announcesBody(req)) {
            inBody = true;
            started = false;
            waitedNanos = 0;
            windowBytes = 0;
            deadline.arm(totalMillis);
        }
        if (inBody && msg instanceof HttpContent c) {
            stopWaiting();
            int n = c.content().readableBytes();
            windowBytes += n;
            started |= n > 0;
            if (c instanceof LastHttpContent) {
                endBody();
            } else if (!keptUp()) {
                // Checked here too: the window's timer may fire after the bytes that close it.
                // The exchange, done by then, drops this content.
                expired(ctx, Reason.REQUEST_BODY_TOO_SLOW);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** RFC 9112 §6.3: a request with neither Content-Length nor chunked framing has no body. */
    private static boolean announcesBody(HttpRequest req) {
        // A head the decoder failed goes to the router's 400; its length may not parse.
        return req.decoderResult().isSuccess()
                && (HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (inBody && started && minBytesPerSecond > 0 && !waiting) {
            startWaiting();
        }
        ctx.read();
    }

    private void startWaiting() {
        waiting = true;
        waitingSince = System.nanoTime();
        windowEnd.arm(TimeUnit.NANOSECONDS.toMillis(windowNanos - waitedNanos));
    }

    private void stopWaiting() {
        if (waiting) {
            waiting = false;
            waitedNanos += System.nanoTime() - waitingSince;
            windowEnd.disarm();
        }
    }

    /** True unless a whole window of waiting brought fewer bytes than the rate asks; starts the next window. */
    private boolean keptUp() {
        if (waitedNanos < windowNanos) {
            return true;
        }
        if (windowBytes * 1_000_000_000L < minBytesPerSecond * windowNanos) {
            return false;
        }
        waitedNanos = 0;
        windowBytes = 0;
        return true;
    }

    /** The window's timer: a whole window passed while waiting. */
    private void windowPassed(ChannelHandlerContext ctx) {
        if (!waiting) {
            return;
        }
        stopWaiting();
        if (!keptUp()) {
            expired(ctx, Reason.REQUEST_BODY_TOO_SLOW);
            return;
        }
        // The read asked for is still pending: the next window of waiting starts now.
        startWaiting();
    }

    private void expired(ChannelHandlerContext ctx, Reason reason) {
        if (!inBody || !ctx.channel().isActive()) {
            return;
        }
        endBody();
        ctx.fireUserEventTriggered(new RequestBodyTimeout(reason));
    }

    private void endBody() {
        inBody = false;
        waiting = false;
        deadline.disarm();
        windowEnd.disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        inBody = false;
        deadline.cancel();
        windowEnd.cancel();
    }
}
