package io.sekisho.proxy.forward;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.upstream.UpstreamConnector;
import io.sekisho.proxy.upstream.UpstreamPool;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.sekisho.proxy.pipeline.ClientPipelineInitializer;

/** Completes a proxyToUpstream pipeline for forwarded HTTP exchanges (after upstreamIdle). */
public final class UpstreamHttp {
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
        UpstreamConnector connector = new UpstreamConnector(services.transport());
        // TODO(issue 3): when key.tlsHost() is set, insert the upstream SslHandler (SNI and
        // verification for that name) between upstreamIdle and upstreamCodec.
        return services.pool().acquire(loop, key,
                (l, k) -> connector.connect(l, k.address(), timeouts.connect(), timeouts.idle(), UpstreamHttp::install),
                Math.max(1, timeouts.connect().toMillis()));
    }

    public static void install(Channel ch) {
        ch.pipeline().addLast(UPSTREAM_CODEC, new HttpClientCodec(new HttpDecoderConfig()
                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                .setMaxChunkSize(ClientPipelineInitializer.MAX_CHUNK_BYTES), false, false));
        ch.pipeline().addLast(UPSTREAM_RESPONSE, new UpstreamResponseHandler());
    }
}
