package io.sekisho.proxy.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Future;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.http1.ClientHttpCodec;
import io.sekisho.proxy.upstream.UpstreamConnector;
import io.sekisho.proxy.upstream.UpstreamPool;
import io.sekisho.proxy.upstream.UpstreamTlsException;
import io.sekisho.tls.UpstreamFailure;
import io.sekisho.tls.UpstreamTls;
import java.util.function.Consumer;

/**
 * Completes a proxyToUpstream pipeline for forwarded HTTP exchanges (after upstreamIdle):
 * [upstreamTls (https only)], upstreamCodec, upstreamResponse. An https connection is handed
 * out by the pool only once its handshake has verified the origin.
 */
public final class UpstreamHttp {
    public static final String UPSTREAM_TLS = "upstreamTls";
    public static final String UPSTREAM_CODEC = "upstreamCodec";
    public static final String UPSTREAM_RESPONSE = "upstreamResponse";
    /** Response heads from origins can be larger than what we accept from clients. */
    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

    private UpstreamHttp() {
    }

    /**
     * A connection for {@code key} from the pool, on {@code loop}: parked, new, or the next one
     * released (waiting at most the connect timeout).
     */
    static Future<Channel> acquire(ProxyServices services, SekishoConfig.Timeouts timeouts, EventLoop loop,
            UpstreamPool.Key key) {
        return services.pool().acquire(loop, key, (l, k) -> dial(services, timeouts, l, k, false),
                Math.max(1, timeouts.connect().toMillis()));
    }

    /**
     * A new connection for {@code key} on {@code loop}, TLS when the key says so. With
     * {@code offerHttp2} (https only) ALPN offers h2 before http/1.1 and no handler is installed
     * behind TLS: the caller installs those of the protocol the origin chose.
     */
    static ChannelFuture dial(ProxyServices services, SekishoConfig.Timeouts timeouts, EventLoop loop,
            UpstreamPool.Key key, boolean offerHttp2) {
        UpstreamConnector connector = new UpstreamConnector(services.transport());
        long connecting = System.nanoTime();
        ChannelFuture connected = key.tls()
                ? connectTls(services.tls().upstream(), connector, timeouts, loop, key, offerHttp2,
                        offerHttp2 ? ch -> { } : UpstreamHttp::install)
                : connector.connect(loop, key.address(), timeouts.connect(), timeouts.idle(), UpstreamHttp::install);
        connected.addListener(f -> {
            if (f.isSuccess()) {
                services.metrics().upstreamConnectTook(System.nanoTime() - connecting);
            }
        });
        return connected;
    }

    /**
     * TCP (or a CONNECT through the parent), then the TLS handshake with SNI {@code key.tlsHost()}
     * and verification of the chain and the name; the returned future completes after both.
     *
     * @param offerHttp2 ALPN offers h2 before http/1.1 (the origin's choice is on the TLS handler)
     * @param install the handlers behind TLS, installed before the handshake
     */
    private static ChannelFuture connectTls(@Nullable UpstreamTls tls, UpstreamConnector connector,
            SekishoConfig.Timeouts timeouts, EventLoop loop, UpstreamPool.Key key, boolean offerHttp2,
            Consumer<Channel> install) {
        long handshakeMillis = Math.max(1, timeouts.tlsHandshake().toMillis());
        Consumer<Channel> more = ch -> {
            if (tls == null) {
                throw new IllegalStateException("no upstream TLS configured");
            }
            SslHandler ssl = tls.newHandler(ch.alloc(), key.tlsHost(), key.port(), offerHttp2);
            ssl.setHandshakeTimeoutMillis(handshakeMillis);
            ch.pipeline().addLast(UPSTREAM_TLS, ssl);
            install.accept(ch);
        };
        ChannelFuture tcp = key.viaParent()
                ? connector.tunnelViaParent(loop, key.address(), key.tlsHost(), key.port(), timeouts.connect(),
                        timeouts.idle(), more)
                : connector.connect(loop, key.address(), timeouts.connect(), timeouts.idle(), more);
        Channel ch = tcp.channel();
        ChannelPromise ready = ch.newPromise();
        tcp.addListener(f -> {
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (!f.isSuccess() || ssl == null) {
                ready.tryFailure(f.cause() != null ? f.cause() : new IllegalStateException("no upstream TLS"));
                return;
            }
            // AUTO_READ is off: the handshake needs the server's flight read.
            ch.read();
            ssl.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    ready.trySuccess();
                } else {
                    ready.tryFailure(classify(h.cause()));
                    ch.close();
                }
            });
        });
        return ready;
    }

    /** UPSTREAM_TIMEOUT, UPSTREAM_CERT_INVALID or UPSTREAM_TLS_FAILED, with the innermost cause's class. */
    static UpstreamTlsException classify(Throwable failure) {
        Throwable inner = failure;
        for (int i = 0; i < 16 && inner.getCause() != null && inner.getCause() != inner; i++) {
            inner = inner.getCause();
        }
        Reason reason = failure instanceof SslHandshakeTimeoutException ? Reason.UPSTREAM_TIMEOUT
                : UpstreamTls.classify(failure) == UpstreamFailure.CERT_INVALID ? Reason.UPSTREAM_CERT_INVALID
                : Reason.UPSTREAM_TLS_FAILED;
        return new UpstreamTlsException(reason, inner.getClass().getSimpleName());
    }

    public static void install(Channel ch) {
        ch.pipeline().addLast(UPSTREAM_CODEC, new HttpClientCodec(new HttpDecoderConfig()
                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                .setMaxChunkSize(ClientHttpCodec.MAX_CHUNK_BYTES), false, false));
        ch.pipeline().addLast(UPSTREAM_RESPONSE, new UpstreamResponseHandler());
    }
}
