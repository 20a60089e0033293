package io.sekisho.proxy.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Holds an HTTP/2 request to the Content-Length it declared (RFC 9113 §8.1.1), before it is
 * converted to HTTP/1.1 for the origin. There the length frames the body, so a DATA byte beyond
 * it would start a request of the client's making on the proxy's upstream connection, and a body
 * that ends short would leave that connection waiting for bytes. The DATA frame that would go
 * beyond, or the end of a stream that comes short, resets the stream with PROTOCOL_ERROR
 * instead; the excess is never passed on, and the exchange's upstream connection is closed, not
 * parked. Runs after {@link StreamHeadersCheck}, which made sure the length is one number.
 */
public final class ContentLengthCheck extends ChannelInboundHandlerAdapter {
    /** -1 when the request declared no length: HTTP/1.1 then frames the body in chunks. */
    private long declared = -1;
    private long received;
    private boolean headSeen;
    private boolean reset;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (reset) {
            ReferenceCountUtil.release(msg);
            return;
        }
        boolean ends;
        if (msg instanceof Http2HeadersFrame h) {
            if (!headSeen) {
                headSeen = true;
                CharSequence length = h.headers().get("content-length");
                declared = length == null ? -1 : Long.parseLong(length.toString());
            }
            ends = h.isEndStream();
        } else if (msg instanceof Http2DataFrame d) {
            received += d.content().readableBytes();
            ends = d.isEndStream();
            if (declared >= 0 && received > declared) {
                reset(ctx, msg);
                return;
            }
        } else {
            ends = false;
        }
        if (ends && declared >= 0 && received != declared) {
            reset(ctx, msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void reset(ChannelHandlerContext ctx, Object msg) {
        reset = true;
        ReferenceCountUtil.release(msg);
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
    }
}
