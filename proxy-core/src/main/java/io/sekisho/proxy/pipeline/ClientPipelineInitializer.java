package io.sekisho.proxy.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.ssl.SslHandler;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.auth.Authenticator;
import io.sekisho.proxy.http1.ProxyAuthHandler;
import io.sekisho.proxy.channel.IdleTimeoutHandler;
import io.sekisho.proxy.channel.SplicedChannels;
import io.sekisho.proxy.connect.ConnectHandler;
import io.sekisho.proxy.connect.InterceptTlsHandler;
import io.sekisho.proxy.connect.InterceptedConnect;
import io.sekisho.proxy.connect.PipelineSwitch;
import io.sekisho.proxy.connect.Tunnel;
import io.sekisho.proxy.connect.TunnelRelayHandler;
import io.sekisho.proxy.connect.TunnelSniCheck;
import io.sekisho.proxy.forward.ForwardRequest.TunnelContext;
import io.sekisho.proxy.forward.HttpForwardHandler;
import io.sekisho.proxy.forward.ProtocolSwitch;
import io.sekisho.proxy.forward.UpstreamHttp;
import io.sekisho.proxy.h2.AlpnSwitch;
import io.sekisho.proxy.h2.ControlFrameFloodGuard;
import io.sekisho.proxy.h2.GoAwayOnDrain;
import io.sekisho.proxy.h2.Http2Limits;
import io.sekisho.proxy.h2.Http2StreamInitializer;
import io.sekisho.proxy.http1.ClientHttpCodec;
import io.sekisho.proxy.http1.HeadBudgetHandler;
import io.sekisho.proxy.http1.PipeliningGate;
import io.sekisho.proxy.http1.RequestBodyTimeoutHandler;
import io.sekisho.proxy.http1.RequestHeaderTimeoutHandler;
import io.sekisho.proxy.limits.ClientNetworks;
import io.sekisho.tls.ServerTls;
import java.util.concurrent.CompletableFuture;

// CHECKSTYLE.OFF: LineLength - the pipeline table reads best one handler to a line.
/**
 * The clientToProxy pipeline, as a table of contents (STYLE.md rule 7), and the one place that
 * assembles it: on accept, and at each switch of {@link PipelineSwitch}, which the router and the
 * {@code ConnectHandler} call (they replay what they hold and remove themselves). Handler names
 * are the constants below. The handlers live below this package: {@code channel/} (timers),
 * {@code http1/} (framing, gate, budgets, timeouts, events), {@code forward/}, {@code connect/}.
 *
 * <pre>
 * On accept (initChannel):
 *   (no handler)          ClientNetworks.admits        clients.allow: else closed unread (CLIENT_NOT_ALLOWED, throttled audit)
 *   (no handler)          ClientLimits.admit           limits.maxConnections / maxConnectionsPerClient: else closed unread
 *   clientIdle            IdleTimeoutHandler           close after timeouts.idle without traffic
 *   headBudget            HeadBudgetHandler            limits.maxPendingHeadBytes, shared by all unfinished heads: 431
 *   httpCodec             ClientHttpCodec              strict framing (400 + close); limits.maxInitialLineBytes / maxHeaderBytes
 *   pipeliningGate        PipeliningGate               one exchange at a time, responses in order
 *   requestHeaderTimeout  RequestHeaderTimeoutHandler  408 when a request head does not arrive
 *   requestBodyTimeout    RequestBodyTimeoutHandler    timeouts.requestBody, limits.minRequestBodyRate: 408 via forwarder
 *   proxyAuth             ProxyAuthHandler             with auth only: Proxy-Authorization off the head; 407/429/503 + close
 *   router                ProxyRequestRouter           400/414/431; CONNECT vs absolute-form vs origin-form
 *   forwarder             HttpForwardHandler           absolute-form http:// exchanges (policy, pool, streaming)
 *
 * CONNECT (toConnect; the router then removes itself):
 *   clientIdle, headBudget, httpCodec, pipeliningGate, requestHeaderTimeout, requestBodyTimeout,
 *   connect               ConnectHandler               decide, resolve, connect, answer 200
 *
 * Tunnel established (toTunnel: the HTTP handlers go; then ConnectHandler removes itself):
 *   clientIdle
 *   sniCheck              TunnelSniCheck               ClientHello SNI must name the CONNECT host
 *   tunnelRelay           TunnelRelayHandler           clientToProxy bytes, read-after-write
 *
 * Intercepted CONNECT (toInterception: 200 after the address check, no upstream connection):
 *   clientIdle
 *   clientTls             InterceptTlsHandler          ClientHello: NOT_TLS, SNI_MISMATCH; waits for the leaf, then
 *                         SslHandler (tls-mitm leaf)   replaces itself: TLS 1.2/1.3, ALPN h2 (tls.http2) and http/1.1,
 *                                                      timeouts.tlsHandshake
 *   alpnSwitch            AlpnSwitch                   tls.http2 only: on h2, toHttp2 below; removes itself
 *   headBudget, httpCodec (ClientHttpCodec), pipeliningGate, requestHeaderTimeout, requestBodyTimeout
 *                         (addHttpHandlers, as on accept)
 *   router                ProxyRequestRouter.intercepted(TunnelContext)  Host must name the CONNECT host
 *   forwarder             HttpForwardHandler           scheme https, upstream TLS from the pool
 *
 * WebSocket upgrade answered 101 by the origin (toWebSocket, from the forwarder; client and upstream alike):
 *   clientIdle, [clientTls]                            the HTTP handlers go (the encoders first, so that bytes the
 *   tunnelRelay           TunnelRelayHandler           decoders held flow raw), as do upstreamCodec and upstreamResponse
 *
 * The client chose h2 (toHttp2: the HTTP handlers go; AUTO_READ on, flow control is per stream):
 *   clientIdle, clientTls
 *   h2Codec               Http2FrameCodec              Http2Limits: streams, header list, resets, empty DATA, queued ACKs;
 *                                                      its close is graceful (GOAWAY, open streams end, shutdownDrain)
 *   h2Multiplex           Http2MultiplexHandler        one child channel per stream: h2/Http2StreamInitializer's table
 *   h2Drain               GoAwayOnDrain                shutdown drain: GOAWAY NO_ERROR, close after the last stream
 *   h2ControlFloods       ControlFrameFloodGuard       PING/SETTINGS per window: GOAWAY ENHANCE_YOUR_CALM
 *
 * Denied CONNECT from a browser, CA configured (toDenyPage: 200 after the deny; BumpToDeny says when):
 *   clientIdle
 *   clientTls             SslHandler (tls-mitm leaf)   timeouts.tlsHandshake
 *   httpCodec             ClientHttpCodec
 *   denyPage              DenyPageHandler              the block page (reason, request id) to the first request, close
 *
 * proxyToUpstream (UpstreamConnector, UpstreamHttp):
 *   upstreamIdle          IdleTimeoutHandler
 *   parentProxy           HttpProxyHandler             tunnels through upstream.parent only
 *   upstreamTls           SslHandler                   https upstreams: SNI, chain + host name verified (UpstreamTls)
 *   upstreamCodec         HttpClientCodec              forwarded exchanges
 *   upstreamResponse      UpstreamResponseHandler      streams the response back to the client
 *   tunnelRelay           TunnelRelayHandler           tunnels: proxyToClient bytes
 *   pooledIdle            (UpstreamPool)               from the first parking on: closes a parked connection when idle or spoken to
 * </pre>
 */
// CHECKSTYLE.ON: LineLength
public final class ClientPipelineInitializer extends ChannelInitializer<Channel>
        implements PipelineSwitch, ProtocolSwitch {
    public static final String CLIENT_IDLE = "clientIdle";
    public static final String HEAD_BUDGET = "headBudget";
    public static final String HTTP_CODEC = "httpCodec";
    public static final String PIPELINING_GATE = "pipeliningGate";
    public static final String REQUEST_HEADER_TIMEOUT = "requestHeaderTimeout";
    public static final String REQUEST_BODY_TIMEOUT = "requestBodyTimeout";
    public static final String PROXY_AUTH = "proxyAuth";
    public static final String ROUTER = "router";
    public static final String FORWARDER = "forwarder";
    public static final String CONNECT = "connect";
    public static final String SNI_CHECK = "sniCheck";
    public static final String TUNNEL_RELAY = "tunnelRelay";
    /** The ClientHello check of an intercepted CONNECT, then the SslHandler terminating it. */
    public static final String CLIENT_TLS = "clientTls";
    /** Behind the client's TLS when it offers h2: switches to HTTP/2 when the client chose it. */
    public static final String ALPN_SWITCH = "alpnSwitch";
    public static final String H2_CODEC = "h2Codec";
    public static final String H2_MULTIPLEX = "h2Multiplex";
    public static final String H2_DRAIN = "h2Drain";
    public static final String H2_CONTROL_FLOODS = "h2ControlFloods";
    /** The block page behind a bumped denied CONNECT. */
    public static final String DENY_PAGE = "denyPage";

    private final ProxyServices services;

    public ClientPipelineInitializer(ProxyServices services) {
        this.services = services;
    }

    @Override
    protected void initChannel(Channel ch) {
        RuntimeState state = services.state();
        SekishoConfig config = state.config();
        if (!ClientNetworks.admits(ch, config.access().clientsAllow())) {
            // Closed before a byte is read: a client from outside the listed networks gets nothing to parse.
            services.limits().refuse(ch, Decision.deny(Reason.CLIENT_NOT_ALLOWED, "clients.allow"), state.mode(),
                    services.ids().next());
            ch.close();
            return;
        }
        if (!services.limits().admit(ch, config.limits(), state.mode())) {
            // Closed before a byte is read: parsing a request is what the cap exists to avoid.
            ch.close();
            return;
        }
        services.clientChannels().add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast(CLIENT_IDLE, new IdleTimeoutHandler(config.timeouts().idle()));
        addHttpHandlers(p, CLIENT_IDLE, config, ProxyRequestRouter.forProxy(services, this));
        Authenticator authenticator = services.authentication().forConfig(config.access().auth());
        if (authenticator != null) {
            // Only on the proxy's own connection: inside an intercepted tunnel the CONNECT's identity holds.
            p.addBefore(ROUTER, PROXY_AUTH, new ProxyAuthHandler(services, authenticator));
        }
    }

    @Override
    public void toConnect(ChannelHandlerContext router) {
        ChannelPipeline p = router.pipeline();
        p.addAfter(router.name(), CONNECT, new ConnectHandler(services, this));
        if (p.get(FORWARDER) != null) {
            p.remove(FORWARDER);
        }
    }

    @Override
    public void toTunnel(ChannelHandlerContext connect, Tunnel tunnel) {
        ChannelPipeline p = connect.pipeline();
        removeHttpHandlers(p);
        p.addAfter(connect.name(), SNI_CHECK, new TunnelSniCheck(tunnel, tunnel.host()));
        p.addAfter(SNI_CHECK, TUNNEL_RELAY, new TunnelRelayHandler(tunnel));
        tunnel.upstream().pipeline().addLast(TUNNEL_RELAY, new TunnelRelayHandler(tunnel));
        services.metrics().tunnelOpened();
        connect.channel().closeFuture().addListener(f -> services.metrics().tunnelClosed());
    }

    @Override
    public void toInterception(ChannelHandlerContext connect, SekishoConfig config, InterceptedConnect intercepted,
            CompletableFuture<ServerTls> leaf, TunnelContext tunnel) {
        ChannelPipeline p = connect.pipeline();
        removeHttpHandlers(p);
        boolean http2 = config.tls() != null && config.tls().http2();
        p.addAfter(connect.name(), CLIENT_TLS, new InterceptTlsHandler(intercepted, tunnel.connectHost(), leaf,
                Math.max(1, config.timeouts().tlsHandshake().toMillis()), http2));
        String last = CLIENT_TLS;
        if (http2) {
            p.addAfter(CLIENT_TLS, ALPN_SWITCH, new AlpnSwitch(alpn -> toHttp2(alpn, config, tunnel)));
            last = ALPN_SWITCH;
        }
        addHttpHandlers(p, last, config, ProxyRequestRouter.intercepted(services, tunnel));
        services.metrics().interceptionOpened();
        connect.channel().closeFuture().addListener(f -> services.metrics().interceptionClosed());
    }

    /** The client chose h2 by ALPN: the HTTP/1.1 handlers make way for HTTP/2's, after {@code alpn}. */
    private void toHttp2(ChannelHandlerContext alpn, SekishoConfig config, TunnelContext tunnel) {
        ChannelPipeline p = alpn.pipeline();
        removeHttpHandlers(p);
        p.addAfter(alpn.name(), H2_CODEC, Http2Limits.clientCodec(config.limits(), config.timeouts().shutdownDrain()));
        p.addAfter(H2_CODEC, H2_MULTIPLEX, new Http2MultiplexHandler(new Http2StreamInitializer(services, config,
                tunnel, () -> ProxyRequestRouter.intercepted(services, tunnel))));
        p.addAfter(H2_MULTIPLEX, H2_DRAIN, new GoAwayOnDrain());
        p.addAfter(H2_DRAIN, H2_CONTROL_FLOODS, new ControlFrameFloodGuard(services.clock()));
        // Each stream reads on demand and holds its client to its flow-control window; the
        // connection itself must be read for frames to reach the streams.
        alpn.channel().config().setAutoRead(true);
    }

    @Override
    public void toDenyPage(ChannelHandlerContext connect, SekishoConfig config, ServerTls leaf, ChannelHandler page) {
        ChannelPipeline p = connect.pipeline();
        removeHttpHandlers(p);
        SslHandler tls = leaf.newHandler(connect.alloc());
        tls.setHandshakeTimeoutMillis(Math.max(1, config.timeouts().tlsHandshake().toMillis()));
        p.addAfter(connect.name(), CLIENT_TLS, tls);
        p.addAfter(CLIENT_TLS, HTTP_CODEC, ClientHttpCodec.forLimits(config.limits()));
        p.addAfter(HTTP_CODEC, DENY_PAGE, page);
    }

    @Override
    public void toWebSocket(ChannelHandlerContext forwarder, SplicedChannels relay) {
        ChannelPipeline client = forwarder.pipeline();
        ChannelPipeline upstream = relay.upstream().pipeline();
        // The 101 has been written: no HTTP is encoded any more on either side, so what the
        // decoders hand over as they are removed can flow to the peer as bytes.
        ((CombinedChannelDuplexHandler<?, ?>) client.get(HTTP_CODEC)).removeOutboundHandler();
        ((CombinedChannelDuplexHandler<?, ?>) upstream.get(UpstreamHttp.UPSTREAM_CODEC)).removeOutboundHandler();
        client.addAfter(HTTP_CODEC, TUNNEL_RELAY, new TunnelRelayHandler(relay));
        upstream.addLast(TUNNEL_RELAY, new TunnelRelayHandler(relay));
        upstream.remove(UpstreamHttp.UPSTREAM_RESPONSE);
        upstream.remove(UpstreamHttp.UPSTREAM_CODEC);
        removeHttpHandlers(client);
    }

    /**
     * Adds the HTTP handlers after {@code after}, in the order of the table above: on accept, and
     * behind the TLS termination of an intercepted CONNECT with its own router.
     */
    private void addHttpHandlers(ChannelPipeline p, String after, SekishoConfig config, ProxyRequestRouter router) {
        p.addAfter(after, HEAD_BUDGET, new HeadBudgetHandler(services, config.limits().maxPendingHeadBytes()));
        p.addAfter(HEAD_BUDGET, HTTP_CODEC, ClientHttpCodec.forLimits(config.limits()));
        p.addAfter(HTTP_CODEC, PIPELINING_GATE, new PipeliningGate());
        p.addAfter(PIPELINING_GATE, REQUEST_HEADER_TIMEOUT,
                new RequestHeaderTimeoutHandler(services, config.timeouts().requestHeader()));
        p.addAfter(REQUEST_HEADER_TIMEOUT, REQUEST_BODY_TIMEOUT,
                new RequestBodyTimeoutHandler(config.timeouts().requestBody(), config.limits()));
        p.addAfter(REQUEST_BODY_TIMEOUT, ROUTER, router);
        p.addAfter(ROUTER, FORWARDER, new HttpForwardHandler(services, this));
    }

    /** Removes what only an HTTP connection needs, when it becomes a tunnel. */
    private static void removeHttpHandlers(ChannelPipeline p) {
        for (String name : new String[] {HEAD_BUDGET, HTTP_CODEC, PIPELINING_GATE, REQUEST_HEADER_TIMEOUT,
                REQUEST_BODY_TIMEOUT, PROXY_AUTH, ROUTER,
                FORWARDER}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }
}
