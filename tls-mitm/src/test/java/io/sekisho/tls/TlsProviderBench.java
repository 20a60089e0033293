package io.sekisho.tls;

import ch.qos.logback.classic.Level;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.internal.tcnative.SSL;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.tls.TestPki.Issued;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Not a test: measures the server side of the client-facing TLS with each provider, to choose
 * the default (docs/performance.md). The server runs on ONE event-loop thread, whose CPU time
 * (ThreadMXBean) is the figure reported — steady on a shared machine, unlike wall time. The
 * client is always BoringSSL (when it loads) on its own thread, so it costs the same for both.
 *
 * <pre>
 * mvn -B -q -o -pl tls-mitm test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp tls-mitm/target/test-classes:tls-mitm/target/classes:$(cat /tmp/cp.txt) \
 *     io.sekisho.tls.TlsProviderBench [handshakes] [echoes] [bulkMiB]
 * </pre>
 */
public final class TlsProviderBench {

    private static final String HOST = "bench.s3.amazonaws.com";
    private static final int CONCURRENCY = 4;
    private static final int RECORD = 1024;
        private static final int ROUNDS = 3;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final long serverThread;
    private final long clientThread;
    private final Issued root = TestPki.root("Bench Root");
    private final CertificateAuthority ca;
    private final SslContext freshClient;
    private final SslContext resumingClient;
    /** Echo clients register here how to send their first record, so that all start together. */
    private final List<Runnable> starters = Collections.synchronizedList(new ArrayList<>());

    private TlsProviderBench() throws Exception {
        serverThread = serverGroup.next().submit(() -> Thread.currentThread().getId()).get();
        clientThread = clientGroup.next().submit(() -> Thread.currentThread().getId()).get();
        ca = CertificateAuthority.of(List.of(root.certificate()), root.privateKey(), Clock.systemUTC());
        TlsProvider client = TlsProvider.preferred();
        // No peer host: no client session cache, so every handshake is a full one.
        freshClient = SslContextBuilder.forClient().sslProvider(client.netty()).trustManager(root.certificate())
                .endpointIdentificationAlgorithm(null).protocols("TLSv1.3").build();
        resumingClient = SslContextBuilder.forClient().sslProvider(client.netty()).trustManager(root.certificate())
                .protocols("TLSv1.3").build();
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.sekisho")).setLevel(Level.INFO);
        int handshakes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int echoes = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int bulkMiB = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        System.out.printf("Java %s, %d CPUs, client %s, median of %d rounds after warm-up%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), TlsProvider.preferred().description(),
                ROUNDS);
        TlsProviderBench bench = new TlsProviderBench();
        try {
            for (TlsProvider provider : TlsProvider.values()) {
                if (provider.isAvailable() && System.getProperty("bench.providers", provider.name()).contains(provider.name())) {
                    bench.run(provider, handshakes, echoes, bulkMiB);
                }
            }
        } finally {
            bench.serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            bench.clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private void run(TlsProvider provider, int handshakes, int echoes, int bulkMiB) throws Exception {
        System.out.println("== server provider " + provider.description());
        ServerTls ec = ServerTls.create(new LeafMinter(ca, KeyType.EC_P256, LeafMinter.DEFAULT_LIFETIME,
                Clock.systemUTC(), new SecureRandom()).mint(HOST), provider);
        ServerTls rsa = ServerTls.create(new LeafMinter(ca, KeyType.RSA_2048, LeafMinter.DEFAULT_LIFETIME,
                Clock.systemUTC(), new SecureRandom()).mint(HOST), provider);
        report("mint + context (EC leaf), per leaf", "µs", measureMints(provider, 200), 1);
        report("TCP connection without TLS (baseline)", "µs", () -> plainConnections(handshakes), handshakes);
        report("full TLS 1.3 handshake, EC P-256 leaf", "µs", () -> handshakes(ec, freshClient, handshakes), handshakes);
        report("full TLS 1.3 handshake, RSA-2048 leaf", "µs", () -> handshakes(rsa, freshClient, handshakes / 4), handshakes / 4);
        report("resumed TLS 1.3 handshake", "µs", () -> handshakes(ec, resumingClient, handshakes), handshakes);
        report("1 KiB echo (decrypt + encrypt one record each way)", "µs", () -> echo(ec, echoes), echoes);
        report("bulk client->server (decrypt), per MiB", "µs", () -> bulk(ec, bulkMiB, true), bulkMiB);
        report("bulk server->client (encrypt), per MiB", "µs", () -> bulk(ec, bulkMiB, false), bulkMiB);
    }

    /** One measured run: server-thread CPU ns, client-thread CPU ns and wall ns. */
    private record Sample(long serverCpuNanos, long clientCpuNanos, long wallNanos) {
    }

    /** Start of a measurement: both threads' CPU time and the wall clock. */
    private final class Meter {
        private final long server = serverCpu();
        private final long client = THREADS.getThreadCpuTime(clientThread);
        private final long wall = System.nanoTime();

        Sample stop() {
            return new Sample(serverCpu() - server, THREADS.getThreadCpuTime(clientThread) - client,
                    System.nanoTime() - wall);
        }
    }

    @FunctionalInterface
    private interface Scenario {
        Sample run() throws Exception;
    }

    private static void report(String name, String unit, Scenario scenario, int operations) throws Exception {
        scenario.run(); // warm-up
        List<Double> cpu = new ArrayList<>();
        List<Double> clientCpu = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            Sample sample = scenario.run();
            cpu.add(sample.serverCpuNanos / 1000.0 / operations);
            clientCpu.add(sample.clientCpuNanos / 1000.0 / operations);
            rate.add(operations / (sample.wallNanos / 1e9));
        }
        Collections.sort(cpu);
        Collections.sort(clientCpu);
        Collections.sort(rate);
        System.out.printf("  %-50s %8.1f %s  | client %8.1f µs | %,9.0f /s wall | server runs %s%n", name,
                cpu.get(ROUNDS / 2), unit, clientCpu.get(ROUNDS / 2), rate.get(ROUNDS / 2), rounded(cpu));
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    private Scenario measureMints(TlsProvider provider, int count) {
        return () -> {
            LeafMinter minter = new LeafMinter(ca, Clock.systemUTC(), new SecureRandom());
            long cpu = THREADS.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < count; i++) {
                ServerTls.create(minter.mint("h" + i + ".example"), provider);
            }
            return new Sample((THREADS.getCurrentThreadCpuTime() - cpu) / count, 0, (System.nanoTime() - wall) / count);
        };
    }

    /** Baseline: what a connection costs the server without TLS (accept, one byte, close). */
    private Sample plainConnections(int count) throws Exception {
        CountDownLatch closed = new CountDownLatch(count);
        Channel server = new ServerBootstrap().group(serverGroup).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('.'));
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        closed.countDown();
                    }

                    @Override
                    public boolean isSharable() {
                        return true;
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        Meter meter = new Meter();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            Channel channel = new Bootstrap().group(clientGroup).channel(NioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                            ctx.close();
                        }
                    })
                    .connect("127.0.0.1", port).sync().channel();
            channel.closeFuture().addListener(f -> inFlight.release());
        }
        if (!closed.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("connections did not finish");
        }
        Sample sample = meter.stop();
        server.close().sync();
        return sample;
    }

    /** {@code count} connections, {@link #CONCURRENCY} at a time, each closed once its handshake is done. */
    private Sample handshakes(ServerTls tls, SslContext client, int count) throws Exception {
        CountDownLatch closed = new CountDownLatch(count);
        Channel server = server(tls, () -> new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                // One byte after the handshake: the client leaves once it has read it, and with
                // it the TLS 1.3 session ticket that precedes it.
                if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                    ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('.'));
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                closed.countDown();
            }
        });
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger resumed = new AtomicInteger();
        Meter meter = new Meter();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            SslHandler handler = client == resumingClient
                    ? client.newHandler(ByteBufAllocator.DEFAULT, HOST, port)
                    : client.newHandler(ByteBufAllocator.DEFAULT);
            Channel channel = connect(port, handler, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                    if (handler.engine() instanceof ReferenceCountedOpenSslEngine engine
                            && SSL.isSessionReused(engine.sslPointer())) {
                        resumed.incrementAndGet();
                    }
                    ctx.close();
                }
            });
            channel.closeFuture().addListener(f -> inFlight.release());
            handler.handshakeFuture().addListener(f -> {
                if (!f.isSuccess()) {
                    failures.incrementAndGet();
                    channel.close();
                }
            });
        }
        if (!closed.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("handshakes did not finish");
        }
        Sample sample = meter.stop();
        server.close().sync();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " handshakes failed");
        }
        boolean wantResumed = client == resumingClient;
        // The first connections in flight have no session to resume yet.
        if (wantResumed ? resumed.get() < count - CONCURRENCY : resumed.get() > 0) {
            throw new IllegalStateException(resumed.get() + " of " + count + " handshakes resumed");
        }
        return sample;
    }

    /** {@link #CONCURRENCY} connections, each sending one 1 KiB record and awaiting its echo, in turn. */
    private Sample echo(ServerTls tls, int count) throws Exception {
        Channel server = server(tls, () -> new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg);
            }
        });
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        int perConnection = count / CONCURRENCY;
        CountDownLatch done = new CountDownLatch(CONCURRENCY);
        CountDownLatch ready = new CountDownLatch(CONCURRENCY);
        List<Channel> clients = new ArrayList<>();
        for (int c = 0; c < CONCURRENCY; c++) {
            SslHandler handler = freshClient.newHandler(ByteBufAllocator.DEFAULT);
            clients.add(connect(port, handler, new ChannelInboundHandlerAdapter() {
                private long received;
                private int sent;

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    if (event instanceof SslHandshakeCompletionEvent) {
                        ready.countDown();
                    }
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    received += ((ByteBuf) msg).readableBytes();
                    ReferenceCountUtil.release(msg);
                    if (received == (long) sent * RECORD) {
                        if (sent == perConnection) {
                            done.countDown();
                        } else {
                            send(ctx);
                        }
                    }
                }

                void send(ChannelHandlerContext ctx) {
                    sent++;
                    ctx.writeAndFlush(ctx.alloc().directBuffer(RECORD).writeZero(RECORD));
                }

                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    starters.add(() -> ctx.executor().execute(() -> send(ctx)));
                }
            }));
        }
        ready.await(30, TimeUnit.SECONDS);
        Meter meter = new Meter();
        starters.forEach(Runnable::run);
        starters.clear();
        if (!done.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("echo did not finish");
        }
        Sample sample = meter.stop();
        for (Channel client : clients) {
            client.close().sync();
        }
        server.close().sync();
        return sample;
    }

    /** One connection moving {@code mib} MiB in 16 KiB writes, one way. */
    private Sample bulk(ServerTls tls, int mib, boolean clientSends) throws Exception {
        long total = (long) mib << 20;
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch ready = new CountDownLatch(1);
        Channel server = server(tls, () -> clientSends ? new BenchHandlers.Sink(total, done) : new BenchHandlers.Source(total, ready));
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        SslHandler handler = freshClient.newHandler(ByteBufAllocator.DEFAULT);
        BenchHandlers.Source clientSource = new BenchHandlers.Source(total, ready);
        Channel client = connect(port, handler, clientSends ? clientSource : new BenchHandlers.Sink(total, done));
        handler.handshakeFuture().sync();
        Meter meter = new Meter();
        ready.countDown();
        if (clientSends) {
            client.eventLoop().execute(() -> clientSource.pump(client.pipeline().lastContext()));
        }
        if (!done.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("bulk did not finish");
        }
        Sample sample = meter.stop();
        client.close().sync();
        server.close().sync();
        return sample;
    }

    private Channel server(ServerTls tls, Supplier<ChannelInboundHandlerAdapter> handler) throws InterruptedException {
        return new ServerBootstrap().group(serverGroup).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), handler.get());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    private Channel connect(int port, SslHandler handler, ChannelInboundHandlerAdapter last) throws InterruptedException {
        return new Bootstrap().group(clientGroup).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(handler, last);
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
    }

    private long serverCpu() {
        return THREADS.getThreadCpuTime(serverThread);
    }
}
