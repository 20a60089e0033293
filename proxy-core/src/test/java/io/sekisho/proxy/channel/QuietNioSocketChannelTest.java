package io.sekisho.proxy.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quiet half-close on real loopback sockets, from both kinds of channel: one accepted by
 * {@link QuietNioServerSocketChannel} and one a {@code Bootstrap} connects. Netty's own
 * {@code shutdownOutput} fires a {@link ChannelOutputShutdownEvent} through the pipeline after
 * building its exception; the quiet one goes around that path, so no event arrives.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QuietNioSocketChannelTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicInteger outputShutdownEvents = new AtomicInteger();
    private final BlockingQueue<String> read = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Records what the channel reads and the output-shutdown events it sees. */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            read.add(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelOutputShutdownEvent) {
                outputShutdownEvents.incrementAndGet();
            }
        }
    }

    /** A listener on the quiet server channel; completes with the first connection it accepts. */
    private InetSocketAddress listen(CompletableFuture<Channel> accepted) {
        Channel server = new ServerBootstrap().group(group).channel(QuietNioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Recorder());
                        accepted.complete(ch);
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        return (InetSocketAddress) server.localAddress();
    }

    private static void onLoop(Channel ch, IoAction action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ch.eventLoop().execute(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        done.get(5, TimeUnit.SECONDS);
    }

    private interface IoAction {
        void run() throws Exception;
    }

    @Test
    void anAcceptedConnectionSendsItsFinAndStillReadsWithoutTheEvent() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        InetSocketAddress address = listen(accepted);
        try (Socket client = new Socket(address.getAddress(), address.getPort())) {
            Channel ch = accepted.get(5, TimeUnit.SECONDS);
            assertThat(ch).isInstanceOf(QuietNioSocketChannel.class);

            onLoop(ch, ((QuietNioSocketChannel) ch)::shutdownOutputQuietly);

            InputStream in = client.getInputStream();
            assertThat(in.read()).as("the client reads the FIN").isEqualTo(-1);
            assertThat(((DuplexChannel) ch).isOutputShutdown()).isTrue();
            assertThat(((DuplexChannel) ch).isInputShutdown()).isFalse();
            OutputStream out = client.getOutputStream();
            out.write("still heard".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(read.poll(5, TimeUnit.SECONDS)).isEqualTo("still heard");
            assertThat(outputShutdownEvents).hasValue(0);
        }
    }

    @Test
    void nettysOwnShutdownFiresTheEventThatTheQuietOneSkips() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        InetSocketAddress address = listen(accepted);
        try (Socket client = new Socket(address.getAddress(), address.getPort())) {
            DuplexChannel ch = (DuplexChannel) accepted.get(5, TimeUnit.SECONDS);

            // On the loop, as the relay calls it: Netty completes the promise before it fires the
            // event, so a caller off the loop could look before the event arrives.
            onLoop(ch, () -> ch.shutdownOutput().syncUninterruptibly());

            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(outputShutdownEvents).hasValue(1);
        }
    }

    @Test
    void aConnectedChannelSendsItsFinAndStillReadsTheAnswer() throws Exception {
        try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Channel ch = new Bootstrap().group(group).channel(QuietNioSocketChannel.class)
                    .handler(new Recorder()).connect(origin.getLocalSocketAddress()).syncUninterruptibly().channel();
            try (Socket peer = origin.accept()) {
                onLoop(ch, ((QuietNioSocketChannel) ch)::shutdownOutputQuietly);

                assertThat(peer.getInputStream().read()).as("the origin reads the FIN").isEqualTo(-1);
                peer.getOutputStream().write("answer".getBytes(StandardCharsets.US_ASCII));
                peer.getOutputStream().flush();
                assertThat(read.poll(5, TimeUnit.SECONDS)).isEqualTo("answer");
                assertThat(outputShutdownEvents).hasValue(0);
            } finally {
                ch.close().syncUninterruptibly();
            }
        }
    }
}
