package io.sekisho.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared HTTP/2 connections to origins, for exchanges whose client speaks HTTP/2. Such an
 * exchange's first connection to a destination offers {@code h2} and {@code http/1.1} by ALPN.
 * When the origin picks h2, that connection carries every such exchange to the same pool key
 * (destination, port, route) on the same event loop, one HTTP/2 stream each; exchanges that
 * arrive while it is being set up wait for it rather than open their own. When the origin picks
 * http/1.1, the connection joins the pool and the origin is remembered as an HTTP/1.1 one for
 * {@link #HTTP1_REMEMBERED_MINUTES} minutes: its exchanges take the pool, as every HTTP/1.1
 * client's do.
 *
 * <p>Backpressure: each stream has its own flow-control window ({@link #STREAM_WINDOW}); what the
 * origin sends is returned to its window only when the stream's reader takes it, so at most a
 * window per stream waits in the proxy, and a client that does not read stops the origin's
 * stream, not the others (the connection window is {@link #CONNECTION_WINDOW}). The connection
 * reads all the time (frames for many streams arrive on it); its streams read when asked.
 *
 * <p>Threading: connections are kept per event loop, as the pool keeps its parked ones, so an
 * exchange and its stream share the client's loop. With N loops there are at most N connections
 * per key. Every method runs on the caller's loop.
 */
public final class Http2Upstreams {
    private static final Logger log = LoggerFactory.getLogger(Http2Upstreams.class);

    /** proxyToUpstream, h2: Netty's frame codec (client side). */
    public static final String H2_CODEC = "upstreamH2Codec";
    /** proxyToUpstream, h2: one child channel per stream. */
    public static final String H2_MULTIPLEX = "upstreamH2Multiplex";
    /** proxyToUpstream, h2: GOAWAY and the end of the connection take it out of service. */
    public static final String H2_WATCH = "upstreamH2Watch";
    /** SETTINGS_INITIAL_WINDOW_SIZE: what the origin may send on a stream before its reader takes it. */
    static final int STREAM_WINDOW = 128 * 1024;
    /** The connection's window: 64 streams' worth, so that streams whose clients stall do not stop the rest. */
    static final int CONNECTION_WINDOW = 64 * STREAM_WINDOW;
    /** SETTINGS_MAX_HEADER_LIST_SIZE: as much as an HTTP/1.1 response head may have. */
    static final int MAX_HEADER_LIST_BYTES = 64 * 1024;
    static final long HTTP1_REMEMBERED_MINUTES = 10;
    /** Beyond this many origins remembered as HTTP/1.1 on one loop, the expired ones are forgotten. */
    private static final int HTTP1_REMEMBERED_MAX = 4096;

    /** TCP (or a CONNECT through the parent) and TLS offering h2 and http/1.1; done after the handshake. */
    @FunctionalInterface
    public interface Dialer {
        ChannelFuture dial(EventLoop loop, UpstreamPool.Key key);
    }

    private record Waiter(Promise<Channel> promise, ChannelHandler stream) {
    }

    /** One event loop's connections. */
    private static final class Loop {
        final Map<UpstreamPool.Key, Channel> live = new HashMap<>();
        final Map<UpstreamPool.Key, List<Waiter>> connecting = new HashMap<>();
        final Map<UpstreamPool.Key, Long> http1Until = new HashMap<>();
    }

    private final UpstreamPool pool;
    private final FastThreadLocal<Loop> loops = new FastThreadLocal<>() {
        @Override
        protected Loop initialValue() {
            return new Loop();
        }
    };

    Http2Upstreams(UpstreamPool pool) {
        this.pool = pool;
    }

    /**
     * A new HTTP/2 stream to {@code key}'s origin, with {@code stream} (a sharable initializer)
     * as its handler; or null when the exchange is to take the pool instead (the origin chose
     * http/1.1, or its connection has as many streams open as the origin allows). Must be called
     * on {@code loop}.
     *
     * @param http1 installs the HTTP/1.1 handlers on a connection whose origin chose http/1.1
     */
    public Future<Channel> stream(EventLoop loop, UpstreamPool.Key key, Dialer dialer, Consumer<Channel> http1,
            ChannelHandler stream) {
        Promise<Channel> p = loop.newPromise();
        Loop here = loops.get();
        if (speaksHttp1(here, key)) {
            return p.setSuccess(null);
        }
        Channel conn = here.live.get(key);
        if (conn != null) {
            Http2FrameCodec codec = conn.pipeline().get(Http2FrameCodec.class);
            if (conn.isActive() && codec != null && !codec.connection().goAwayReceived()) {
                open(conn, codec, p, stream);
                return p;
            }
            here.live.remove(key);
        }
        List<Waiter> waiting = here.connecting.get(key);
        if (waiting != null) {
            waiting.add(new Waiter(p, stream));
            return p;
        }
        List<Waiter> first = new ArrayList<>(4);
        first.add(new Waiter(p, stream));
        here.connecting.put(key, first);
        ChannelFuture dialed = dialer.dial(loop, key);
        dialed.addListener(f -> connected(here, key, dialed, http1));
        return p;
    }

    /** Connections set up for HTTP/2 on the calling loop (for tests). */
    public int liveConnections() {
        return loops.get().live.size();
    }

    private static boolean speaksHttp1(Loop here, UpstreamPool.Key key) {
        Long until = here.http1Until.get(key);
        if (until == null) {
            return false;
        }
        if (until - System.nanoTime() > 0) {
            return true;
        }
        here.http1Until.remove(key);
        return false;
    }

    private void connected(Loop here, UpstreamPool.Key key, ChannelFuture dialed, Consumer<Channel> http1) {
        List<Waiter> waiting = here.connecting.remove(key);
        List<Waiter> all = waiting == null ? List.of() : waiting;
        if (!dialed.isSuccess()) {
            all.forEach(w -> w.promise().tryFailure(dialed.cause()));
            return;
        }
        Channel ch = dialed.channel();
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl == null || !ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
            remember(here, key);
            http1.accept(ch);
            pool.adopt(ch, key);
            all.forEach(w -> w.promise().trySuccess(null));
            return;
        }
        Http2FrameCodec codec = install(ch, here, key);
        here.live.put(key, ch);
        all.forEach(w -> open(ch, codec, w.promise(), w.stream()));
    }

    private static void remember(Loop here, UpstreamPool.Key key) {
        long now = System.nanoTime();
        if (here.http1Until.size() >= HTTP1_REMEMBERED_MAX) {
            here.http1Until.values().removeIf(until -> until - now <= 0);
        }
        if (here.http1Until.size() < HTTP1_REMEMBERED_MAX) {
            here.http1Until.put(key, now + TimeUnit.MINUTES.toNanos(HTTP1_REMEMBERED_MINUTES));
        }
    }

    /**
     * Netty's client codec and multiplexer behind the TLS handler, the connection window raised,
     * and the connection reading from now on (the handshake was read with AUTO_READ off). Runs
     * in the handshake's completion, before any record after it is decrypted.
     */
    private Http2FrameCodec install(Channel ch, Loop here, UpstreamPool.Key key) {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings()
                        .pushEnabled(false)
                        .initialWindowSize(STREAM_WINDOW)
                        .maxHeaderListSize(MAX_HEADER_LIST_BYTES))
                .validateHeaders(true)
                .build();
        ch.pipeline().addLast(H2_CODEC, codec);
        ch.pipeline().addLast(H2_MULTIPLEX, new Http2MultiplexHandler(NO_PUSH));
        ch.pipeline().addLast(H2_WATCH, new Watch(here, key));
        ch.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
        pool.track(ch);
        ch.config().setAutoRead(true);
        return codec;
    }

    /**
     * A stream on {@code conn}; when the origin's SETTINGS_MAX_CONCURRENT_STREAMS is reached the
     * exchange takes the pool (HTTP/1.1) rather than fail.
     */
    private static void open(Channel conn, Http2FrameCodec codec, Promise<Channel> p, ChannelHandler stream) {
        if (!codec.connection().local().canOpenStream()) {
            p.trySuccess(null);
            return;
        }
        Future<Http2StreamChannel> opened = new Http2StreamChannelBootstrap(conn)
                .option(ChannelOption.AUTO_READ, false)
                .handler(stream)
                .open();
        opened.addListener(f -> {
            if (!opened.isSuccess()) {
                p.tryFailure(opened.cause());
            } else if (!p.trySuccess(opened.getNow())) {
                opened.getNow().close();
            }
        });
    }

    /** Push is off (SETTINGS_ENABLE_PUSH 0): a stream the origin opens anyway is closed at once. */
    private static final ChannelHandler NO_PUSH = new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
            ch.close();
        }
    };

    /**
     * The last handler of a shared connection: after a GOAWAY no new stream goes on it (those it
     * names as unprocessed fail on their own, through their channels' close); the end of the
     * connection takes it out of service. Connection-level frames end here.
     */
    private static final class Watch extends ChannelInboundHandlerAdapter {
        private final Loop here;
        private final UpstreamPool.Key key;

        Watch(Loop here, UpstreamPool.Key key) {
            this.here = here;
            this.key = key;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame g) {
                log.debug("upstream HTTP/2 GOAWAY {} after stream {}", g.errorCode(), g.lastStreamId());
                forget(ctx.channel());
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            forget(ctx.channel());
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Only the class: a decoder message could quote a header value.
            log.debug("upstream HTTP/2 connection failed: {}", cause.getClass().getName());
            ctx.close();
        }

        private void forget(Channel ch) {
            if (ch.equals(here.live.get(key))) {
                here.live.remove(key);
            }
        }
    }
}
