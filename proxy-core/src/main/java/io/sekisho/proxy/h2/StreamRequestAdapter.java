package io.sekisho.proxy.h2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Between Netty's frame-to-HTTP conversion and the router of an HTTP/2 stream: makes the
 * converted request read as a client's HTTP/1.1 request would. Netty's extension headers
 * ({@code x-http2-stream-id}, {@code x-http2-scheme}, ...) are removed, since they would reach
 * the origin; a client's own headers of those names are removed as well. A request that ended
 * with its headers (Netty makes it a FullHttpRequest) is passed on as a head and an empty last
 * content, as the HTTP/1.1 decoder delivers every request. Outbound, the empty
 * buffer the exchange writes before it closes an HTTP/1.1 connection means nothing on a stream
 * and is dropped (the close then ends the stream).
 */
public final class StreamRequestAdapter extends ChannelDuplexHandler {
    private static final String EXTENSION_PREFIX = "x-http2-";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            HttpHeaders headers = req.headers();
            List<String> extension = new ArrayList<>();
            for (String name : headers.names()) {
                if (name.toLowerCase(Locale.ROOT).startsWith(EXTENSION_PREFIX)) {
                    extension.add(name);
                }
            }
            extension.forEach(headers::remove);
            // :authority and a host field, when both came, were checked to be equal: one Host.
            String host = headers.get(HttpHeaderNames.HOST);
            if (host != null) {
                headers.set(HttpHeaderNames.HOST, host);
            }
        }
        if (msg instanceof FullHttpRequest full) {
            DefaultHttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
                    full.headers());
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b && !b.isReadable()) {
            b.release();
            promise.setSuccess();
            return;
        }
        ctx.write(msg, promise);
    }
}
