package io.sekisho.proxy.connect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.util.List;

/**
 * Peeks at the client's first bytes in a tunnel, without decrypting, and refuses a TLS
 * ClientHello whose SNI names another host than the CONNECT did (domain fronting: CONNECT
 * allowed.example, SNI evil.example). A ClientHello without SNI is accepted (RFC 6066 makes SNI
 * optional). Netty's {@link AbstractSniHandler} parses the ClientHello, across records if need
 * be; once it is judged this handler removes itself and the held bytes go on to the relay.
 */
public final class TunnelSniCheck extends AbstractSniHandler<Boolean> {
    /**
     * A deliberate choice: a plain tunnel carries whatever the client speaks on the allowed port
     * (SSH over 443, WebSocket without TLS...), as Squid does. Only an intercepted CONNECT
     * (issue 3) requires TLS and refuses other bytes with NOT_TLS.
     */
    public static final boolean NON_TLS_ALLOWED_IN_TUNNELS = true;

    /** TLS record content type "handshake" (RFC 8446 §5.1). */
    private static final int TLS_HANDSHAKE = 22;

    private final Tunnel tunnel;
    private final HostName connectHost;
    private @Nullable Boolean sawTls;

    public TunnelSniCheck(Tunnel tunnel, HostName connectHost) {
        // No handshake timeout of its own: a silent client is closed by the idle timeout.
        super(0L);
        this.tunnel = tunnel;
        this.connectHost = connectHost;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (sawTls == null && in.isReadable()) {
            sawTls = in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE;
        }
        if (Boolean.FALSE.equals(sawTls) && NON_TLS_ALLOWED_IN_TUNNELS) {
            // Not a TLS handshake: nothing to check, and a short first message (under a TLS
            // record header's five bytes) must not wait for more bytes that may never come.
            ctx.pipeline().remove(this);
            return;
        }
        super.decode(ctx, in, out);
    }

    @Override
    protected Future<Boolean> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(acceptable(hostname));
    }

    private boolean acceptable(String sni) {
        if (sni == null) {
            // No SNI in a ClientHello, or not TLS at all.
            return Boolean.TRUE.equals(sawTls) || NON_TLS_ALLOWED_IN_TUNNELS;
        }
        try {
            return HostName.parse(sni).equals(connectHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<Boolean> future) {
        if (hostname != null) {
            tunnel.sni(hostname);
        }
        if (Boolean.TRUE.equals(future.getNow()) || tunnel.refine(Reason.SNI_MISMATCH)) {
            ctx.pipeline().remove(this);
        }
    }
}
