package io.sekisho.proxy.h2;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.e2e.TestPki;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * An in-process https origin that offers h2 and http/1.1 by ALPN (or http/1.1 alone) and records
 * the protocol and the connection each request arrived on. Over h2 it speaks frames, so that it
 * can do what a test needs of an origin: stream a large body one write at a time (counting what
 * the connection took), stop reading an upload, hold a response, reset a stream, send a GOAWAY
 * that leaves a stream unprocessed, send trailers or a malformed header.
 *
 * <p>Paths: {@code /big?bytes=N} (N bytes of {@link #patternByte}), {@code /sink} (reads the
 * upload, answers its length and CRC), {@code /slow…} (answers once {@link #releaseSlow} is
 * counted down), {@code /barrier} (answers once {@link #barrier} requests are open at once),
 * {@code /reset}, {@code /goaway}, {@code /trailers}, {@code /nul}; anything else says hello.
 */
final class H2Origin implements AutoCloseable {
    /** One request: how it came, and its body's length and CRC-32. */
    record Seen(String protocol, String connection, String method, String path, long bodyBytes, long crc) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Bytes of /big whose write the connection completed (flow control lets them go). */
    final AtomicLong sent = new AtomicLong();
    /** Bytes of /sink bodies read so far. */
    final AtomicLong uploaded = new AtomicLong();
    volatile CountDownLatch releaseSlow = new CountDownLatch(1);
    volatile int barrier = Integer.MAX_VALUE;
    private volatile boolean pauseUploads;
    private final List<Runnable> paused = new CopyOnWriteArrayList<>();
    private final List<Runnable> atBarrier = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostOpen = new ConcurrentHashMap<>();

    H2Origin(TestPki pki, String host, boolean offerH2) throws Exception {
        TestPki.Leaf leaf = pki.leaf(host);
        List<String> protocols = offerH2 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_1_1);
        SslContext tls = SslContextBuilder.forServer(leaf.key(), leaf.chain())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols))
                .build();
        // TCP_NODELAY: one frame at a time, each after the last went, must not wait for Nagle.
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Negotiation());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    static byte patternByte(long i) {
        return (byte) (i * 31 + (i >>> 13));
    }

    List<Seen> seenAt(String path) {
        return seen.stream().filter(s -> s.path().equals(path)).toList();
    }

    /** The most streams that were open at once on {@code connection}. */
    int mostOpenOn(String connection) {
        AtomicInteger n = mostOpen.get(connection);
        return n == null ? 0 : n.get();
    }

    /** From now on a /sink upload is not read until {@link #resumeUploads}. */
    void pauseUploads() {
        pauseUploads = true;
    }

    void resumeUploads() {
        pauseUploads = false;
        paused.forEach(Runnable::run);
        paused.clear();
    }

    private final class Negotiation extends ApplicationProtocolNegotiationHandler {
        Negotiation() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                // Header validation off: the origin must be able to send what a client may not.
                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().validateHeaders(false).build(),
                        new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel stream) {
                                stream.config().setOption(ChannelOption.AUTO_READ, false);
                                stream.pipeline().addLast(new Stream());
                            }
                        }));
            } else {
                ctx.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 << 20), new Http1());
            }
        }
    }

    /** One h2 stream, at the frame level. */
    private final class Stream extends ChannelInboundHandlerAdapter {
        private Http2Headers request;
        private String connection;
        private long bodyBytes;
        private final CRC32 crc = new CRC32();
        private boolean holding;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h && request == null) {
                    request = h.headers();
                    connection = ctx.channel().parent().id().asShortText();
                    int now = open.computeIfAbsent(connection, c -> new AtomicInteger()).incrementAndGet();
                    mostOpen.computeIfAbsent(connection, c -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                    holding = pauseUploads && path().equals("/sink");
                    if (h.isEndStream()) {
                        ended(ctx);
                    }
                } else if (msg instanceof Http2DataFrame d) {
                    int n = d.content().readableBytes();
                    bodyBytes += n;
                    crc.update(d.content().nioBuffer());
                    if (path().equals("/sink")) {
                        uploaded.addAndGet(n);
                    }
                    if (d.isEndStream()) {
                        ended(ctx);
                    }
                } else if (msg instanceof Http2HeadersFrame h && h.isEndStream()) {
                    ended(ctx);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!holding) {
                ctx.read();
            } else {
                paused.add(() -> ctx.executor().execute(() -> {
                    holding = false;
                    ctx.read();
                }));
                if (!pauseUploads) {
                    resumeUploads();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (connection != null) {
                open.get(connection).decrementAndGet();
            }
            ctx.fireChannelInactive();
        }

        private String path() {
            String p = String.valueOf(request.path());
            int q = p.indexOf('?');
            return q < 0 ? p : p.substring(0, q);
        }

        private void ended(ChannelHandlerContext ctx) {
            seen.add(new Seen("HTTP/2", connection, String.valueOf(request.method()), path(), bodyBytes,
                    crc.getValue()));
            if (path().equals("/sink")) {
                text(ctx, "got " + bodyBytes + " " + crc.getValue());
            } else {
                respond(ctx, path(), String.valueOf(request.path()));
            }
        }
    }

    private void respond(ChannelHandlerContext ctx, String path, String target) {
        if (path.startsWith("/slow")) {
            CountDownLatch release = releaseSlow;
            new Thread(() -> {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ctx.executor().execute(() -> text(ctx, "slow over HTTP/2"));
            }).start();
            return;
        }
        switch (path) {
            case "/big" -> big(ctx, Long.parseLong(target.substring(target.indexOf('=') + 1)));
            case "/barrier", "/barrier2" -> {
                atBarrier.add(() -> ctx.executor().execute(() -> text(ctx, "together over HTTP/2")));
                if (atBarrier.size() >= barrier) {
                    List<Runnable> all = new ArrayList<>(atBarrier);
                    atBarrier.clear();
                    all.forEach(Runnable::run);
                }
            }
            case "/reset" -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
            case "/goaway" -> goAwayBefore(ctx);
            case "/trailers" -> {
                ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
                ctx.write(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("with trailers", StandardCharsets.UTF_8)));
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("x-checksum", "c0ffee"),
                        true));
            }
            case "/nul" -> {
                Http2Headers h = new DefaultHttp2Headers(false).status("200").add("x-smuggled", "a\u0000b");
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(h, true));
            }
            default -> text(ctx, "hello over HTTP/2");
        }
    }

    /**
     * A GOAWAY whose last stream is the one before this: this stream was not processed (RFC 9113
     * §6.8), and streams with lower numbers go on.
     */
    private static void goAwayBefore(ChannelHandlerContext ctx) {
        Channel parent = ctx.channel().parent();
        Http2FrameCodec codec = parent.pipeline().get(Http2FrameCodec.class);
        ChannelHandlerContext codecCtx = parent.pipeline().context(codec);
        int id = ((Http2StreamChannel) ctx.channel()).stream().id();
        codec.goAway(codecCtx, id - 2, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, codecCtx.newPromise());
        codecCtx.flush();
    }

    private static void text(ChannelHandlerContext ctx, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                .add("content-type", "text/plain").add("content-length", Integer.toString(b.length))));
        ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(b), true));
    }

    /**
     * N bytes in 16 KiB frames, at most {@code WRITES_AHEAD} of them written and not yet gone: a
     * frame is written when an earlier one went, so flow control holds the writer (and
     * {@link #sent} counts what went).
     */
    private void big(ChannelHandlerContext ctx, long total) {
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                .add("content-length", Long.toString(total))));
        long[] next = {0};
        for (int i = 0; i < WRITES_AHEAD; i++) {
            writeNext(ctx, next, total);
        }
    }

    private static final int WRITES_AHEAD = 32;

    private void writeNext(ChannelHandlerContext ctx, long[] next, long total) {
        long at = next[0];
        if (at >= total) {
            return;
        }
        int n = (int) Math.min(16 * 1024, total - at);
        next[0] = at + n;
        ByteBuf b = ctx.alloc().buffer(n);
        for (int i = 0; i < n; i++) {
            b.writeByte(patternByte(at + i));
        }
        ctx.writeAndFlush(new DefaultHttp2DataFrame(b, next[0] == total)).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                sent.addAndGet(n);
                writeNext(ctx, next, total);
            }
        });
    }

    /** HTTP/1.1: any request says hello. */
    private final class Http1 extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            CRC32 crc = new CRC32();
            crc.update(req.content().nioBuffer());
            String path = req.uri().contains("?") ? req.uri().substring(0, req.uri().indexOf('?')) : req.uri();
            seen.add(new Seen("HTTP/1.1", ctx.channel().id().asShortText(), req.method().name(), path,
                    req.content().readableBytes(), crc.getValue()));
            byte[] b = "hello over HTTP/1.1".getBytes(StandardCharsets.UTF_8);
            DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(b));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
            ctx.writeAndFlush(r);
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
