package io.sekisho.proxy.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sits behind the client's TLS of an interception that offers h2, until the handshake ends: when
 * the client chose h2 by ALPN it hands the pipeline to {@code toHttp2} (which replaces the
 * HTTP/1.1 handlers); otherwise the HTTP/1.1 handlers behind it stay. Either way it removes
 * itself, and whatever was decrypted before the switch goes to the handlers now behind it.
 */
public final class AlpnSwitch extends ChannelInboundHandlerAdapter {
    private final Consumer<ChannelHandlerContext> toHttp2;
    private final List<Object> early = new ArrayList<>();

    /** @param toHttp2 called with this handler's context when the client chose h2 */
    public AlpnSwitch(Consumer<ChannelHandlerContext> toHttp2) {
        this.toHttp2 = toHttp2;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // TLS records that arrived with the Finished are decrypted before the event; keep them.
        early.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (done.isSuccess() && ssl != null && ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
                toHttp2.accept(ctx);
            }
            ctx.fireUserEventTriggered(evt);
            ctx.pipeline().remove(this);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        for (Object msg : early) {
            ctx.fireChannelRead(msg);
        }
        if (!early.isEmpty()) {
            ctx.fireChannelReadComplete();
        }
        early.clear();
    }
}
