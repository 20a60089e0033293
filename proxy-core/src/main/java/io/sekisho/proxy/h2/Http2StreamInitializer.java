package io.sekisho.proxy.h2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.forward.ForwardRequest.TunnelContext;
import io.sekisho.proxy.forward.HttpForwardHandler;
import io.sekisho.proxy.forward.ProtocolSwitch;
import io.sekisho.proxy.http1.RequestBodyTimeoutHandler;
import java.util.function.Supplier;

// CHECKSTYLE.OFF: LineLength - the pipeline table reads best one handler to a line.
/**
 * The pipeline of one HTTP/2 stream inside an interception (a child channel of
 * {@code Http2MultiplexHandler}): one request, decided and forwarded by the same handlers as a
 * request on an HTTP/1.1 connection. The connection's handlers are in
 * {@code pipeline/ClientPipelineInitializer}.
 *
 * <pre>
 *   h2Headers            StreamHeadersCheck                malformed header block (RFC 9113 §8.1.1): audit, RST_STREAM
 *   h2Length             ContentLengthCheck                DATA held to Content-Length: RST_STREAM, nothing passed beyond
 *   h2Http               Http2StreamFrameToHttpObjectCodec frames to HttpRequest/HttpContent and back (Netty)
 *   h2Request            StreamRequestAdapter              Netty's x-http2-* headers off; one Host
 *   requestBodyTimeout   RequestBodyTimeoutHandler         timeouts.requestBody, limits.minRequestBodyRate
 *   router               ProxyRequestRouter.intercepted    Host must name the CONNECT host
 *   forwarder            HttpForwardHandler                the gate, the pool, the audit line
 * </pre>
 *
 * AUTO_READ is off on the stream as on a connection: the stream's DATA is read when the exchange
 * asks, and only what is read is returned to the client's flow-control window, so a client
 * cannot send faster than the origin takes.
 */
// CHECKSTYLE.ON: LineLength
public final class Http2StreamInitializer extends ChannelInitializer<Channel> {
    public static final String H2_HEADERS = "h2Headers";
    public static final String H2_LENGTH = "h2Length";
    public static final String H2_HTTP = "h2Http";
    public static final String H2_REQUEST = "h2Request";
    public static final String REQUEST_BODY_TIMEOUT = "requestBodyTimeout";
    public static final String ROUTER = "router";
    public static final String FORWARDER = "forwarder";

    private final ProxyServices services;
    private final SekishoConfig config;
    private final TunnelContext tunnel;
    private final Supplier<ChannelHandler> router;

    /** @param router a new {@code ProxyRequestRouter.intercepted} for each stream */
    public Http2StreamInitializer(ProxyServices services, SekishoConfig config, TunnelContext tunnel,
            Supplier<ChannelHandler> router) {
        this.services = services;
        this.config = config;
        this.tunnel = tunnel;
        this.router = router;
    }

    /**
     * An HTTP/2 stream never asks for an upgrade ({@link StreamHeadersCheck} refuses
     * {@code Connection} and {@code Upgrade}), so no 101 switches one; were it ever asked, both
     * sides close.
     */
    private static final ProtocolSwitch NO_UPGRADE = (forwarder, relay) -> relay.close();

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setOption(ChannelOption.AUTO_READ, false);
        ChannelPipeline p = ch.pipeline();
        p.addLast(H2_HEADERS, new StreamHeadersCheck(services, tunnel));
        p.addLast(H2_LENGTH, new ContentLengthCheck());
        p.addLast(H2_HTTP, new Http2StreamFrameToHttpObjectCodec(true, true));
        p.addLast(H2_REQUEST, new StreamRequestAdapter());
        p.addLast(REQUEST_BODY_TIMEOUT, new RequestBodyTimeoutHandler(config.timeouts().requestBody(),
                config.limits()));
        p.addLast(ROUTER, router.get());
        p.addLast(FORWARDER, new HttpForwardHandler(services, NO_UPGRADE));
    }
}
