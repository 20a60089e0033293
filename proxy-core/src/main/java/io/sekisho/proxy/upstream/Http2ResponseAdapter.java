package io.sekisho.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.sekisho.proxy.channel.Http2Fields;

/**
 * Behind Netty's frame-to-HTTP conversion of an upstream HTTP/2 stream: makes the origin's
 * response read as an HTTP/1.1 connection's decoder delivers one, so the exchange relays it the
 * same way. Netty's extension headers ({@code x-http2-stream-id}, ...) are removed, since they
 * would reach the client (an origin's own headers of those names too); a response that came
 * whole (Netty makes it a FullHttpResponse: a head that ended the stream, or a 100) is passed on
 * as a head and a last content.
 */
public final class Http2ResponseAdapter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse r) {
            Http2Fields.removeExtensionHeaders(r.headers());
        }
        if (msg instanceof FullHttpResponse full) {
            ctx.fireChannelRead(new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()));
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
