package io.sekisho.proxy.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Sits behind the client's TLS of an interception that offers h2, until it knows the client's
 * protocol: h2 chosen by ALPN hands the pipeline to {@code toHttp2} (which replaces the HTTP/1.1
 * handlers); http/1.1 keeps them. A client that sent no ALPN at all is judged by its first bytes:
 * the HTTP/2 connection preface (RFC 9113 §3.4) means h2 with prior knowledge, which the AWS
 * SDK for Java's Netty client sends by default ({@code ProtocolNegotiation.ASSUME_PROTOCOL}),
 * anything else HTTP/1.1. Either way it removes itself, and the bytes it held go to the handlers
 * now behind it.
 */
public final class AlpnSwitch extends ChannelInboundHandlerAdapter {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Consumer<ChannelHandlerContext> toHttp2;
    private CompositeByteBuf held;
    private boolean sniffing;

    /** @param toHttp2 called with this handler's context when the client speaks h2 */
    public AlpnSwitch(Consumer<ChannelHandlerContext> toHttp2) {
        this.toHttp2 = toHttp2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        held = ctx.alloc().compositeBuffer();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        // TLS records that arrived with the Finished may be decrypted before the event: keep them.
        held.addComponent(true, b);
        if (sniffing) {
            sniff(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof SslHandshakeCompletionEvent done)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        String protocol = ssl == null ? null : ssl.applicationProtocol();
        ctx.fireUserEventTriggered(evt);
        if (!done.isSuccess() || protocol != null) {
            decide(ctx, done.isSuccess() && ApplicationProtocolNames.HTTP_2.equals(protocol));
        } else {
            sniffing = true;
            sniff(ctx);
        }
    }

    private void sniff(ChannelHandlerContext ctx) {
        int n = Math.min(held.readableBytes(), PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (held.getByte(held.readerIndex() + i) != PREFACE[i]) {
                decide(ctx, false);
                return;
            }
        }
        if (n == PREFACE.length) {
            decide(ctx, true);
        } else {
            ctx.read();
        }
    }

    private void decide(ChannelHandlerContext ctx, boolean http2) {
        sniffing = false;
        if (http2) {
            toHttp2.accept(ctx);
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held.isReadable()) {
            ctx.fireChannelRead(held);
            ctx.fireChannelReadComplete();
        } else {
            held.release();
        }
    }
}
