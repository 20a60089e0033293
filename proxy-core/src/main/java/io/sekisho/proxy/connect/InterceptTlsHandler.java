package io.sekisho.proxy.connect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Reason;
import io.sekisho.tls.ServerTls;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage of an intercepted CONNECT: reads the client's ClientHello (Netty's
 * {@link AbstractSniHandler} collects it across records), refuses bytes that are not TLS
 * ({@code NOT_TLS}) and an SNI that names another host than the CONNECT did ({@code SNI_MISMATCH};
 * a missing SNI is accepted, RFC 6066 §3 makes it optional), waits without blocking for the
 * host's leaf (whose minting started when the CONNECT arrived), then replaces itself with the
 * leaf's {@link SslHandler} under the same name, handing it the ClientHello bytes.
 */
public final class InterceptTlsHandler extends AbstractSniHandler<ServerTls> {
    private static final Logger log = LoggerFactory.getLogger(InterceptTlsHandler.class);
    /** TLS record content type "handshake" (RFC 8446 §5.1). */
    private static final int TLS_HANDSHAKE = 22;

    private final InterceptedConnect connect;
    private final HostName connectHost;
    private final CompletableFuture<ServerTls> leaf;
    private final long tlsHandshakeTimeoutMillis;
    private final boolean offerHttp2;
    /** NOT_TLS, a refused SNI or no leaf: the connection is closing and what else comes is dropped. */
    private boolean refused;

    /**
     * @param handshakeTimeoutMillis {@code timeouts.tlsHandshake}: for the ClientHello to arrive,
     *     and again for the rest of the handshake
     * @param offerHttp2 {@code tls.http2}: ALPN offers h2 before http/1.1
     */
    public InterceptTlsHandler(InterceptedConnect connect, HostName connectHost, CompletableFuture<ServerTls> leaf,
            long handshakeTimeoutMillis, boolean offerHttp2) {
        super(handshakeTimeoutMillis);
        this.connect = connect;
        this.connectHost = connectHost;
        this.leaf = leaf;
        this.tlsHandshakeTimeoutMillis = handshakeTimeoutMillis;
        this.offerHttp2 = offerHttp2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.isReadable() && in.getUnsignedByte(in.readerIndex()) != TLS_HANDSHAKE) {
            // Plain HTTP (or anything else) where TLS was required: nothing could be inspected.
            refused = true;
            in.skipBytes(in.readableBytes());
            connect.fail(Reason.NOT_TLS, "");
            return;
        }
        // While the leaf is minting the superclass reads nothing: bytes that come meanwhile (a
        // ChangeCipherSpec or early data a client may send right after its ClientHello, RFC 8446
        // D.4) stay behind the ClientHello and go to the SslHandler with it. Dropping them here
        // dropped the ClientHello too, and the handshake never began.
        super.decode(ctx, in, out);
    }

    @Override
    protected Future<ServerTls> lookup(ChannelHandlerContext ctx, String hostname) {
        if (hostname != null && !namesConnectHost(hostname) && !connect.refine(Reason.SNI_MISMATCH)) {
            refused = true;
            return ctx.executor().newFailedFuture(new SniRefused());
        }
        Promise<ServerTls> p = ctx.executor().newPromise();
        leaf.whenComplete((tls, err) -> {
            if (err != null) {
                p.tryFailure(err);
            } else {
                p.trySuccess(tls);
            }
        });
        return p;
    }

    private boolean namesConnectHost(String sni) {
        try {
            return HostName.parse(sni).equals(connectHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<ServerTls> future) {
        if (!future.isSuccess()) {
            refused = true;
            if (!(future.cause() instanceof SniRefused)) {
                log.warn("no leaf certificate for {}: {}", connectHost.value(), future.cause().getClass().getName());
                connect.fail(Reason.INTERNAL_ERROR, "");
            }
            return;
        }
        if (!ctx.channel().isActive()) {
            return;
        }
        SslHandler ssl = future.getNow().newHandler(ctx.alloc(), offerHttp2);
        ssl.setHandshakeTimeoutMillis(tlsHandshakeTimeoutMillis);
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                connect.established(ssl.engine().getSession().getProtocol(), hostname == null ? "" : hostname);
                // AUTO_READ is off: ask for the first request (it may also have come with the Finished).
                ctx.channel().read();
            } else {
                connect.fail(Reason.CLIENT_TLS_FAILED, f.cause().getClass().getSimpleName());
            }
        });
        // The same name: the assembly's table of contents calls both stages clientTls.
        ctx.pipeline().replace(this, ctx.name(), ssl);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // Closed before a usable ClientHello (or timed out waiting for it): still one line.
        connect.fail(Reason.CLIENT_TLS_FAILED, "");
        super.channelInactive(ctx);
    }

    /** The SNI was refused and the connection is closing: nothing more to do. */
    private static final class SniRefused extends Exception {
        SniRefused() {
            super("SNI does not name the CONNECT host", null, false, false);
        }
    }
}
