package io.sekisho.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;

/**
 * A TLS server on 127.0.0.1, port 0. Each connection gets the handler from {@code tls}; after a
 * successful handshake the server writes {@link #GREETING} (so TLS 1.3 clients also read their
 * session tickets) and records the outcome.
 */
final class TestServer implements AutoCloseable {

    static final String GREETING = "hello\n";

    /** What one connection's handshake ended in, and the SNI the client sent (null if none). */
    record Handshake(boolean success, Throwable cause, String sni) {
    }

    private final Channel channel;
    private final BlockingQueue<Handshake> handshakes;

    private TestServer(Channel channel, BlockingQueue<Handshake> handshakes) {
        this.channel = channel;
        this.handshakes = handshakes;
    }

    static TestServer start(EventLoopGroup group, Function<SocketChannel, ChannelHandler> tls)
            throws InterruptedException {
        BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.apply(ch), new Recorder(handshakes));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return new TestServer(channel, handshakes);
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    Handshake nextHandshake() throws InterruptedException {
        Handshake handshake = handshakes.poll(20, TimeUnit.SECONDS);
        if (handshake == null) {
            throw new AssertionError("no handshake reached the server");
        }
        return handshake;
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
    }

    /** Records SNI and the handshake result; drops whatever the client sends. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        private final BlockingQueue<Handshake> queue;
        private String sni;

        Recorder(BlockingQueue<Handshake> queue) {
            this.queue = queue;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SniCompletionEvent sniEvent) {
                sni = sniEvent.hostname();
            } else if (event instanceof SslHandshakeCompletionEvent done) {
                if (sni == null) {
                    sni = requestedServerName(ctx);
                }
                queue.add(new Handshake(done.isSuccess(), done.cause(), sni));
                if (done.isSuccess()) {
                    ctx.writeAndFlush(Unpooled.copiedBuffer(GREETING, StandardCharsets.US_ASCII));
                } else {
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static String requestedServerName(ChannelHandlerContext ctx) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null && ssl.engine().getSession() instanceof ExtendedSSLSession session) {
                return session.getRequestedServerNames().stream()
                        .filter(n -> n instanceof SNIHostName)
                        .map(n -> ((SNIHostName) n).getAsciiName())
                        .findFirst().orElse(null);
            }
            return null;
        }
    }
}
