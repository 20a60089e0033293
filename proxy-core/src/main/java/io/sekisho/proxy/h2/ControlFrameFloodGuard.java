package io.sekisho.proxy.h2;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an HTTP/2 client connection: counts the client's PING and SETTINGS frames
 * in fixed windows and ends the connection with GOAWAY ENHANCE_YOUR_CALM beyond
 * {@link Http2Limits#MAX_CONTROL_FRAMES_PER_WINDOW} (CVE-2019-9512 ping flood, CVE-2019-9515
 * settings flood: each costs an ACK and a parse, and Netty's queued-ACK limit only bites when
 * the client stops reading). Releases every connection-level frame it is handed, and ends the
 * connection on any error that reaches it.
 */
public final class ControlFrameFloodGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ControlFrameFloodGuard.class);

    private final Clock clock;
    private final int max;
    private final long windowMillis;
    private long windowStart;
    private int count;
    private boolean closing;

    public ControlFrameFloodGuard(Clock clock) {
        this(clock, Http2Limits.MAX_CONTROL_FRAMES_PER_WINDOW, Http2Limits.CONTROL_WINDOW_MILLIS);
    }

    ControlFrameFloodGuard(Clock clock, int max, long windowMillis) {
        this.clock = clock;
        this.max = max;
        this.windowMillis = windowMillis;
        this.windowStart = clock.millis();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean control = msg instanceof Http2PingFrame || msg instanceof Http2SettingsFrame;
        ReferenceCountUtil.release(msg);
        if (control && !closing && over()) {
            closing = true;
            log.info("HTTP/2 client {} sent more than {} PING/SETTINGS frames in {} ms: GOAWAY",
                    ctx.channel().remoteAddress(), max, windowMillis);
            ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.ENHANCE_YOUR_CALM))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Connection errors come here just before Netty's codec answers them with GOAWAY and closes
     * (a flood limit, a broken frame): logged once, by HTTP/2 error only (a message may quote a
     * header). Closing here would send GOAWAY NO_ERROR first, so only other failures close.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing) {
            return;
        }
        closing = true;
        if (cause instanceof Http2Exception e) {
            log.info("HTTP/2 client {} connection error: {}", ctx.channel().remoteAddress(), e.error());
            return;
        }
        log.info("HTTP/2 client {} connection failed: {}", ctx.channel().remoteAddress(), cause.getClass().getName());
        ctx.close();
    }

    private boolean over() {
        long now = clock.millis();
        if (now - windowStart >= windowMillis) {
            windowStart = now;
            count = 0;
        }
        return ++count > max;
    }
}
