package io.sekisho.proxy.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.sekisho.config.SekishoConfig;
import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.pac.PacFile;
import io.sekisho.proxy.upstream.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener ({@code admin.listen}): {@code /metrics} in the Prometheus text format,
 * {@code /healthz} (the process answers), {@code /readyz} (it should get new clients) and
 * {@code /proxy.pac} (generated from the configuration in force, docs/pac.md). It
 * runs on an event loop group of its own, one thread, so that a scrape never waits behind proxy
 * traffic and never takes a proxy loop's time; a scrape renders the registry on that thread.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /** The Prometheus text format, version 0.0.4: what promtool and every scraper read. */
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final int MAX_REQUEST_BYTES = 8192;
    private static final int IDLE_SECONDS = 30;

    /** Why the proxy is not ready (null when it is), and the exposition of every metric. */
    public interface Status {
        @Nullable String notReady();

        String metrics();

        /** Lines that follow /readyz's verdict and do not change it (the sign-in token store's state). */
        default String details() {
            return "";
        }

        /**
         * The PAC file for a client that reached the admin listener by {@code host} (its Host
         * header, null if none); null when there is none to serve (404).
         */
        default @Nullable String pac(@Nullable String host) {
            return null;
        }
    }

    private final EventLoopGroup group;
    private final Channel listener;

    private AdminServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    /** The admin listener of {@code server}: its readiness and its metrics, on its transport. */
    public static AdminServer forProxy(HostPort listen, ProxyServer server) throws InterruptedException {
        return start(listen, server.services().transport(), new Status() {
            @Override
            public @Nullable String notReady() {
                return server.notReady();
            }

            @Override
            public String metrics() {
                return server.services().metrics().scrape();
            }

            @Override
            public String details() {
                return storeLine(server.services());
            }

            @Override
            public String pac(@Nullable String host) {
                SekishoConfig config = server.services().state().config();
                return PacFile.of(config, pacProxy(config.listen().host(), server.address().getPort(), host)).text();
            }
        });
    }

    /**
     * The sign-in token store's state for /readyz's body. It never makes the proxy unready: a store
     * that does not answer denies console sign-ins with a sign-in token only, and failing readiness
     * would take every instance of a group out of the load balancer at once.
     */
    static String storeLine(ProxyServices services) {
        if (!services.sharedStore()) {
            return "provenance store: in memory\n";
        }
        return services.storeHealthy() ? "provenance store: up\n"
                : "provenance store: unreachable (sign-ins with a sign-in token are denied:"
                        + " PROVENANCE_STORE_UNAVAILABLE)\n";
    }

    /**
     * The proxy address a served PAC file names: {@code listen}'s host with the bound port, or,
     * when {@code listen} is a wildcard, the host the client asked the admin listener by (its Host
     * header, without its port) with the proxy's port: a client that reached the admin listener by
     * a name reaches the proxy by it too. Without a Host header, the loopback address.
     */
    static String pacProxy(String listenHost, int proxyPort, @Nullable String hostHeader) {
        boolean wildcard = listenHost.equals("0.0.0.0") || listenHost.equals("::") || listenHost.isEmpty();
        String host = listenHost;
        if (wildcard) {
            host = hostHeader == null || hostHeader.isBlank() ? "127.0.0.1" : withoutPort(hostHeader.strip());
        }
        return new HostPort(host, proxyPort).toString();
    }

    private static String withoutPort(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close > 0 ? authority.substring(1, close) : authority;
        }
        int colon = authority.indexOf(':');
        return colon >= 0 ? authority.substring(0, colon) : authority;
    }

    /**
     * Binds {@code listen} (port 0: any free port); the group is released on failure.
     *
     * @throws IllegalStateException when the address cannot be bound (in use, not local), with the reason
     */
    public static AdminServer start(HostPort listen, Transport transport, Status status) throws InterruptedException {
        EventLoopGroup group = transport.newGroup(1);
        try {
            Channel ch = new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.ALLOCATOR, transport.allocator())
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS),
                                    new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                    new Endpoints(status));
                        }
                    })
                    .bind(listen.host(), listen.port()).sync().channel();
            AdminServer server = new AdminServer(group, ch);
            log.info("admin listener on {}: /metrics /healthz /readyz /proxy.pac", server.address());
            return server;
        } catch (Exception e) {
            // bind() rethrows a BindException unchecked-style: every failure ends up here.
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** The three endpoints; anything else is 404, a method other than GET or HEAD 405. */
    private static final class Endpoints extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Status status;

        Endpoints(Status status) {
            this.status = status;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean head = request.method().equals(HttpMethod.HEAD);
            FullHttpResponse response;
            if (!request.decoderResult().isSuccess()) {
                response = text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
            } else if (!head && !request.method().equals(HttpMethod.GET)) {
                response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD\n");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else {
                String path = new QueryStringDecoder(request.uri()).path();
                response = route(path, request.headers().get(HttpHeaderNames.HOST));
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
            HttpUtil.setKeepAlive(response, keepAlive);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (head) {
                response.content().clear();
            }
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private FullHttpResponse route(String path, @Nullable String host) {
            switch (path) {
                case "/proxy.pac": {
                    String pac = status.pac(host);
                    if (pac == null) {
                        return text(HttpResponseStatus.NOT_FOUND, "no PAC file here\n");
                    }
                    FullHttpResponse r = text(HttpResponseStatus.OK, pac);
                    r.headers().set(HttpHeaderNames.CONTENT_TYPE, PacFile.CONTENT_TYPE);
                    return r;
                }
                case "/metrics": {
                    FullHttpResponse r = text(HttpResponseStatus.OK, status.metrics());
                    r.headers().set(HttpHeaderNames.CONTENT_TYPE, METRICS_TYPE);
                    return r;
                }
                case "/healthz":
                    return text(HttpResponseStatus.OK, "ok\n");
                case "/readyz": {
                    String why = status.notReady();
                    String details = status.details();
                    return why == null ? text(HttpResponseStatus.OK, "ready\n" + details)
                            : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready: " + why + "\n" + details);
                }
                default:
                    return text(HttpResponseStatus.NOT_FOUND,
                            "not found: try /metrics, /healthz, /readyz or /proxy.pac\n");
            }
        }

        private static FullHttpResponse text(HttpResponseStatus s, String body) {
            ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, content);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("admin connection: {}", cause.toString());
            ctx.close();
        }
    }
}
