/*
 * NettyRelay.java - tls-relay.c's Java sibling, on the stack Sekisho itself runs on: Netty 4.2
 * (NIO transport, pooled allocator, one event loop per core) and netty-tcnative's BoringSSL. It
 * answers: what does a TLS-intercepting relay cost per request on this JVM and this Netty before
 * any of Sekisho's own work? With the C floor and Sekisho in one harness run it splits the
 * distance between them into the stack's share and Sekisho's.
 *
 * Three modes:
 *   bytes   terminates TLS on both sides and relays the plaintext, like tls-relay.c;
 *   http    also decodes and re-encodes every request and response with Netty's HTTP/1.1 codecs
 *           (HttpServerCodec towards the client, HttpClientCodec towards the origin), as any
 *           proxy that reads HTTP must. No header is changed, nothing is checked or logged;
 *   tunnel  no TLS at all: the bytes after the CONNECT are relayed as they come, like relay.c.
 *
 * Per client: the CONNECT head is decoded with Netty's HttpServerCodec; only $BENCH_ORIGIN_HOST
 * or a subdomain of it on $BENCH_ORIGIN_PORT is allowed (else 403). Then, as tls-relay.c does,
 * it connects to 127.0.0.1:$BENCH_ORIGIN_PORT, answers 200 once connected, and runs both handshakes
 * side by side: the client's against a leaf for the host (made by netty-relay.sh with openssl,
 * EC P-256, signed by the CA), the origin's with SNI = host, verified against $BENCH_ORIGIN_CA
 * with the hostname checked. (tls-relay.c answers before its connect completes; the CPU is the
 * same.) Backpressure: a side stops reading while its peer is not writable.
 *
 *   java -cp proxy-core/target/sekisho.jar bench/floor/NettyRelay.java PORT LEAF.pem LEAF.key bytes|http|tunnel
 *
 * A bench tool, not part of Sekisho and not hardened: no timeouts, no IPv6, no DNS.
 */
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

public final class NettyRelay {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private final String originHost = System.getenv("BENCH_ORIGIN_HOST").toLowerCase(Locale.ROOT);
    private final int originPort = Integer.parseInt(System.getenv("BENCH_ORIGIN_PORT"));
    private final SslContext server;
    private final SslContext client;
    private final boolean http;
    private final boolean tls;

    private NettyRelay(File leaf, File key, String mode) throws Exception {
        this.server = SslContextBuilder.forServer(leaf, key).sslProvider(SslProvider.OPENSSL).build();
        this.client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(new File(System.getenv("BENCH_ORIGIN_CA"))).build();
        this.http = mode.equals("http");
        this.tls = !mode.equals("tunnel");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !List.of("bytes", "http", "tunnel").contains(args[3])) {
            System.err.println("usage: NettyRelay PORT LEAF.pem LEAF.key bytes|http|tunnel");
            System.exit(2);
        }
        NettyRelay relay = new NettyRelay(new File(args[1]), new File(args[2]), args[3]);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                NioIoHandler.newFactory());
        Channel listener = new ServerBootstrap().group(loops, loops).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024).option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, ALLOC)
                .childOption(ChannelOption.ALLOCATOR, ALLOC).childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("connect-codec", new HttpServerCodec());
                        ch.pipeline().addLast("connect", relay.new ConnectHead());
                    }
                })
                .bind("127.0.0.1", Integer.parseInt(args[0])).sync().channel();
        System.err.println("NettyRelay " + args[3] + " on " + listener.localAddress());
        listener.closeFuture().sync();
    }

    private boolean allowed(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        String host = authority.substring(0, colon).toLowerCase(Locale.ROOT);
        return authority.substring(colon + 1).equals(Integer.toString(originPort))
                && (host.equals(originHost) || host.endsWith("." + originHost));
    }

    /** Reads the CONNECT head; answers 403, or 200 and turns the connection into a relay. */
    private final class ConnectHead extends ChannelInboundHandlerAdapter {
        private String host;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest req) {
                    host = req.method() == HttpMethod.CONNECT && allowed(req.uri())
                            ? req.uri().substring(0, req.uri().lastIndexOf(':')) : null;
                }
                if (msg instanceof LastHttpContent) {
                    answer(ctx);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            if (host == null) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN,
                        Unpooled.EMPTY_BUFFER)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            Channel in = ctx.channel();
            in.config().setAutoRead(false);
            io.netty.channel.ChannelFuture connected = new Bootstrap().group(in.eventLoop())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.ALLOCATOR, ALLOC).option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (!tls) {
                                return;
                            }
                            SslHandler handler = client.newHandler(ch.alloc(), host, originPort);
                            SSLEngine engine = handler.engine();
                            SSLParameters params = engine.getSSLParameters();
                            params.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(params);
                            ch.pipeline().addLast(handler);
                            if (http) {
                                ch.pipeline().addLast(new HttpClientCodec());
                            }
                        }
                    })
                    .connect("127.0.0.1", originPort);
            connected.addListener(c -> {
                if (c.isSuccess()) {
                    relay(ctx, in, connected.channel());
                } else {
                    in.close();
                }
            });
        }

        /**
         * The origin is connected and its handshake under way: answers 200, then puts the client's
         * TLS (and HTTP codec) and the two relays in place.
         */
        private void relay(ChannelHandlerContext ctx, Channel in, Channel out) {
            ChannelPipeline p = ctx.pipeline();
            // The 200 goes out as bytes, past an HTTP encoder that would refuse them; the client
            // sends nothing more before it has read it.
            p.remove("connect-codec");
            p.remove(this);
            // Written before the TLS handler is in place, so it leaves in clear text.
            in.writeAndFlush(ALLOC.buffer().writeBytes("HTTP/1.1 200 Connection established\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)), in.voidPromise());
            if (tls) {
                p.addLast(server.newHandler(in.alloc()));
            }
            if (http) {
                p.addLast(new HttpServerCodec());
            }
            p.addLast(new Relay(out));
            out.pipeline().addLast(new Relay(in));
            in.config().setAutoRead(true);
            out.config().setAutoRead(true);
        }
    }

    /** Writes what one side reads to the other; stops reading while the other side is full. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            peer.write(msg, peer.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
            if (!peer.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                peer.config().setAutoRead(true);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // What was flushed to the peer is written out before it is closed.
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
            peer.close();
        }
    }
}
