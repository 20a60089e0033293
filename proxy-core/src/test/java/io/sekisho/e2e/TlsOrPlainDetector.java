package io.sekisho.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * Lets one port serve both {@code https://} and {@code http://}: a TLS record header in the first
 * bytes adds the SNI-selecting TLS handler, anything else is plain HTTP. The proxy's
 * {@code upstream.resolve} maps a host to one address:port whatever the scheme, so the fake origin
 * must answer both on the same port.
 */
final class TlsOrPlainDetector extends ByteToMessageDecoder {

    private static final int TLS_RECORD_HEADER = 5;

    private final SniHandler sni;

    TlsOrPlainDetector(SniHandler sni) {
        this.sni = sni;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < TLS_RECORD_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            ctx.pipeline().addAfter(ctx.name(), "sni", sni);
            ctx.pipeline().get(OriginChannelHandler.class).markTls();
        }
        // Removing a ByteToMessageDecoder hands the bytes read so far to the next handler.
        ctx.pipeline().remove(this);
    }
}
