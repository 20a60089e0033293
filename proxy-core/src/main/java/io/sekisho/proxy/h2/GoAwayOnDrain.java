package io.sekisho.proxy.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sekisho.proxy.http1.DrainEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Behind the frame codec of an HTTP/2 client connection: when graceful shutdown begins
 * ({@link DrainEvent}), closes the connection through the codec, which makes that close Netty's
 * graceful shutdown: GOAWAY NO_ERROR whose last-stream-id is the highest stream the client
 * opened (RFC 9113 §6.8), so that the client opens no new stream here and may retry elsewhere
 * any it sent after; the open streams run to their end and the connection closes when the last
 * one does, or at {@code timeouts.shutdownDrain} ({@link Http2Limits#clientCodec}). A stream
 * the client opens after the GOAWAY is refused by the codec with RST_STREAM REFUSED_STREAM.
 */
public final class GoAwayOnDrain extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(GoAwayOnDrain.class);

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DrainEvent.INSTANCE) {
            log.debug("HTTP/2 client {}: draining, GOAWAY", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
