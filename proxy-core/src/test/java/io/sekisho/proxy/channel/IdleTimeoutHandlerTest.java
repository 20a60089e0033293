package io.sekisho.proxy.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real server socket with the handler in front of a small behaviour, and a real client. */
class IdleTimeoutHandlerTest {
    private static final Duration IDLE = Duration.ofMillis(300);

    private final EventLoopGroup group = new NioEventLoopGroup(1);

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private int serve(Supplier<io.netty.channel.ChannelHandler> behaviour) {
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new IdleTimeoutHandler(IDLE), behaviour.get());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Echoes what it reads. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    /** Reads nothing back; writes one byte every 100 ms. */
    private static final class Ticker extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.executor().scheduleAtFixedRate(() -> {
                if (ctx.channel().isActive()) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'t'}));
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheTimeoutAndNotBefore() throws Exception {
        int port = serve(Echo::new);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(IDLE);
        }
    }

    @Test
    void readsKeepAConnectionOpenPastTheTimeout() throws Exception {
        int port = serve(Echo::new);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            // 12 × 100 ms: four times the timeout, never silent for as long as it.
            for (int i = 0; i < 12; i++) {
                s.getOutputStream().write('x');
                assertThat(in.read()).isEqualTo('x');
                Thread.sleep(100);
            }
            s.getOutputStream().write('y');
            assertThat(in.read()).isEqualTo('y');
            // Then silence: closed.
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void writesAloneKeepAConnectionOpenPastTheTimeout() throws Exception {
        int port = serve(Ticker::new);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            long end = System.nanoTime() + 4 * IDLE.toNanos();
            int ticks = 0;
            while (System.nanoTime() < end) {
                assertThat(in.read()).isEqualTo('t');
                ticks++;
            }
            assertThat(ticks).isGreaterThanOrEqualTo(4);
        }
    }
}
