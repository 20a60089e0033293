package io.sekisho.proxy.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.Future;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.upstream.Http2ResponseAdapter;
import io.sekisho.proxy.upstream.Http2Upstreams;
import io.sekisho.proxy.upstream.ResponseHeadersCheck;
import io.sekisho.proxy.upstream.UpstreamPool;

// CHECKSTYLE.OFF: LineLength - the pipeline table reads best one handler to a line.
/**
 * The HTTP/2 way upstream for {@link UpstreamLink}: an exchange whose client speaks h2, to an
 * https origin, asks {@link Http2Upstreams} for a stream on the origin's shared h2 connection
 * (offered by ALPN; an origin that picks http/1.1 is served from the pool as before). A stream's
 * pipeline makes it read, to the exchange, like a pooled HTTP/1.1 connection, so the policy, the
 * held responses, the trailers and the audit line are those of any exchange:
 *
 * <pre>
 *   upstreamH2Headers    ResponseHeadersCheck              malformed response block (RFC 9113 §8.2, §8.3.2): 502
 *   upstreamCodec        Http2StreamFrameToHttpObjectCodec HttpRequest/HttpContent to frames and frames back (Netty)
 *   upstreamH2Response   Http2ResponseAdapter              x-http2-* off; a whole response as a head and a last content
 *   upstreamResponse     UpstreamResponseHandler           the exchange's relay and its response deadline
 * </pre>
 *
 * AUTO_READ is off on the stream: its DATA is read when the relay asks (after the client took the
 * last), and only what is read goes back to the origin's window. A stream is never parked: it
 * ends with its exchange.
 */
// CHECKSTYLE.ON: LineLength
final class UpstreamStreams {
    static final String UPSTREAM_H2_HEADERS = "upstreamH2Headers";
    static final String UPSTREAM_H2_RESPONSE = "upstreamH2Response";

    private static final ChannelHandler STREAM = new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
            ch.config().setOption(ChannelOption.AUTO_READ, false);
            ChannelPipeline p = ch.pipeline();
            p.addLast(UPSTREAM_H2_HEADERS, new ResponseHeadersCheck());
            p.addLast(UpstreamHttp.UPSTREAM_CODEC, new Http2StreamFrameToHttpObjectCodec(false, true));
            p.addLast(UPSTREAM_H2_RESPONSE, new Http2ResponseAdapter());
            p.addLast(UpstreamHttp.UPSTREAM_RESPONSE, new UpstreamResponseHandler());
        }
    };

    private UpstreamStreams() {
    }

    /** True when h2 is offered to {@code key}'s origin: the client speaks h2, https, {@code tls.upstreamHttp2}. */
    static boolean offered(ProxyServices services, Channel client, UpstreamPool.Key key) {
        SekishoConfig.Tls tls = services.state().config().tls();
        return key.tls() && client instanceof Http2StreamChannel && tls != null && tls.upstreamHttp2();
    }

    /**
     * A stream on {@code key}'s shared h2 connection, new or set up now; null when the exchange
     * takes the pool instead (see {@link Http2Upstreams#stream}).
     */
    static Future<Channel> open(ProxyServices services, SekishoConfig.Timeouts timeouts, EventLoop loop,
            UpstreamPool.Key key) {
        return services.pool().http2().stream(loop, key, (l, k) -> UpstreamHttp.dial(services, timeouts, l, k, true),
                UpstreamHttp::install, STREAM);
    }
}
