package io.sekisho.proxy.h2.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Issue 16 point 6 (HTTP/2 half): a load client for intercepting proxies that speaks CONNECT,
 * TLS and HTTP/2 itself (h2load has no proxy option). Per connection: Netty's
 * {@link HttpProxyHandler} sends {@code CONNECT host:port}, then TLS with SNI and hostname
 * verification against only the peer's CA, ALPN {@code h2, http/1.1} (h2 mode; anything but h2
 * is an error) or {@code http/1.1} (h1 mode). h2 mode keeps {@code streams} GETs in flight on
 * each of {@code conns} connections ({@link Http2ConnectionHandler}); h1 mode opens
 * {@code conns × streams} connections with one GET at a time each, so both keep the same number
 * of requests in flight. Every response is checked (status 200, body exactly {@code size} bytes)
 * and anything else is an error: a wrong answer, a reset or closed stream, a connection that
 * fails to open or closes, a connection with no answer in the measured window (a stall).
 *
 * <p>Connections are opened before the clock starts; then {@code warmup} seconds unmeasured and
 * {@code duration} seconds measured. The proxy's CPU is utime+stime of its PID and every
 * descendant, read from {@code /proc} at the exact start and end of the measured window. Peers
 * alternate within each rep and the order rotates every rep; an unprinted {@code prewarm} run per
 * peer comes first (JIT). One TSV row per rep and peer on stdout; errors also on stderr.
 *
 * <p>Arguments: one per peer, {@code name,h2|h1,proxyPort,connectPort,caPem,pid}. System
 * properties: conns (4), streams (8), duration (10), warmup (3), prewarm (10), reps (3),
 * host (s3.us-east-1.amazonaws.com), path (/small), size (1024), clkTck (100), threads (1).
 * Run with bench/h2-intercepted.sh.
 */
public final class InterceptedH2Load {
    static final String HEADER = "peer\trep\tprotocol\trequests\terrors\treq_per_s\tproxy_cpu_us_per_req"
            + "\tproxy_cpu_pct\tconnections\tin_flight\twindow_s\tclient_cpu_us_per_req\tmachine_busy_pct\tfirst_error";

    private InterceptedH2Load() {
    }

    /** One proxy to load: its name, the protocol to speak, where it listens, what to CONNECT to. */
    record Peer(String name, boolean h2, int proxyPort, int connectPort, File ca, long pid) {
        static Peer parse(String spec) {
            String[] f = spec.split(",", -1);
            if (f.length != 6 || !(f[1].equals("h2") || f[1].equals("h1"))) {
                throw new IllegalArgumentException("peer: name,h2|h1,proxyPort,connectPort,caPem,pid: " + spec);
            }
            return new Peer(f[0], f[1].equals("h2"), Integer.parseInt(f[2]), Integer.parseInt(f[3]), new File(f[4]),
                    Long.parseLong(f[5]));
        }
    }

    /** The run's settings, from system properties. */
    record Settings(int conns, int streams, int duration, int warmup, int prewarm, int reps, String host, String path,
            int size, int clkTck, int threads) {
        static Settings fromProperties() {
            return new Settings(Integer.getInteger("conns", 4), Integer.getInteger("streams", 8),
                    Integer.getInteger("duration", 10), Integer.getInteger("warmup", 3),
                    Integer.getInteger("prewarm", 10), Integer.getInteger("reps", 3),
                    System.getProperty("host", "s3.us-east-1.amazonaws.com"), System.getProperty("path", "/small"),
                    Integer.getInteger("size", 1024), Integer.getInteger("clkTck", 100),
                    Integer.getInteger("threads", 1));
        }
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.fromProperties();
        List<Peer> peers = new ArrayList<>();
        for (String a : args) {
            peers.add(Peer.parse(a));
        }
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("no peer given: name,h2|h1,proxyPort,connectPort,caPem,pid");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(s.threads(), NioIoHandler.newFactory());
        try {
            for (Peer p : peers) {
                if (s.prewarm() > 0) {
                    Row r = new Run(p, s, group).measure(s.prewarm(), 1);
                    System.err.println("prewarm\t" + r.tsv(p.name(), 0));
                }
            }
            System.out.println(HEADER);
            for (int rep = 1; rep <= s.reps(); rep++) {
                for (int i = 0; i < peers.size(); i++) {
                    Peer p = peers.get((i + rep - 1) % peers.size());
                    Row r = new Run(p, s, group).measure(s.warmup(), s.duration());
                    System.out.println(r.tsv(p.name(), rep));
                    System.out.flush();
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One measured window's result. */
    record Row(String protocol, long requests, long errors, double seconds, long cpuTicks, int clkTck,
            int connections, int inFlight, long clientCpuNanos, double machineBusyPct, String firstError) {
        String tsv(String peer, int rep) {
            double cpuSeconds = cpuTicks / (double) clkTck;
            String perReq = requests == 0 ? "-" : String.format(Locale.ROOT, "%.1f", cpuSeconds * 1e6 / requests);
            String clientPerReq = requests == 0 ? "-" : String.format(Locale.ROOT, "%.1f", clientCpuNanos / 1e3 / requests);
            return String.format(Locale.ROOT, "%s\t%d\t%s\t%d\t%d\t%.0f\t%s\t%.1f\t%d\t%d\t%.3f\t%s\t%.0f\t%s", peer, rep,
                    protocol, requests, errors, requests / seconds, perReq, cpuSeconds * 100 / seconds, connections,
                    inFlight, seconds, clientPerReq, machineBusyPct, firstError);
        }
    }

    /** Counts shared by the connections of one run. */
    static final class Tally {
        final LongAdder ok = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AtomicReference<String> firstError = new AtomicReference<>();
        final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();
        volatile boolean stopping;

        void error(String what) {
            if (stopping) {
                return;
            }
            errors.increment();
            if (kinds.size() < 20 || kinds.containsKey(what)) {
                kinds.computeIfAbsent(what, k -> new LongAdder()).increment();
            }
            if (firstError.compareAndSet(null, what)) {
                System.err.println("error: " + what);
            }
        }

        /** Each kind of error and how often, for stderr. */
        String summary() {
            StringBuilder b = new StringBuilder();
            kinds.forEach((k, n) -> b.append("\n  ").append(n.sum()).append(" x ").append(k));
            return b.toString();
        }
    }

    /** One peer's connections for one measured window. */
    static final class Run {
        private final Peer peer;
        private final Settings s;
        private final EventLoopGroup group;
        private final Tally tally = new Tally();
        private final List<Conn> conns = new ArrayList<>();

        Run(Peer peer, Settings s, EventLoopGroup group) {
            this.peer = peer;
            this.s = s;
            this.group = group;
        }

        Row measure(int warmup, int duration) throws Exception {
            SslContext tls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(peer.ca())
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            peer.h2() ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                                    : List.of(ApplicationProtocolNames.HTTP_1_1)))
                    .build();
            int connections = peer.h2() ? s.conns() : s.conns() * s.streams();
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .resolver(NoopAddressResolverGroup.INSTANCE).option(ChannelOption.TCP_NODELAY, true);
            for (int i = 0; i < connections; i++) {
                Conn c = new Conn(peer, s, tally);
                conns.add(c);
                c.open(b, tls);
            }
            List<Conn> ready = awaitReady();
            ready.forEach(c -> c.channel.eventLoop().execute(c::start));
            TimeUnit.SECONDS.sleep(warmup);
            Set<Long> tree = processTree(peer.pid());
            long cpu0 = cpuTicks(tree);
            long client0 = clientCpuNanos();
            long[] machine0 = machineTicks();
            long ok0 = tally.ok.sum();
            long[] done0 = ready.stream().mapToLong(c -> c.done).toArray();
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(duration);
            long t1 = System.nanoTime();
            long ok1 = tally.ok.sum();
            long cpu1 = cpuTicks(tree);
            long client1 = clientCpuNanos();
            long[] machine1 = machineTicks();
            Set<Long> born = processTree(peer.pid());
            born.removeAll(tree);
            cpu1 += cpuTicks(born); // a process started within the window: all its CPU is the window's
            for (int i = 0; i < ready.size(); i++) {
                if (ready.get(i).done == done0[i]) {
                    tally.error("a connection answered nothing in the measured window (stall)");
                }
            }
            long errors = tally.errors.sum();
            tally.stopping = true;
            if (errors > 0) {
                System.err.println(peer.name() + ": " + errors + " errors:" + tally.summary());
            }
            closeAll();
            return new Row(protocols(), ok1 - ok0, errors, (t1 - t0) / 1e9, cpu1 - cpu0, s.clkTck(), connections,
                    ready.stream().mapToInt(c -> c.inFlight).sum(), client1 - client0,
                    busyPct(machine0, machine1), tally.firstError.get() == null ? "-" : tally.firstError.get().replace('\t', ' '));
        }

        private List<Conn> awaitReady() {
            List<Conn> ready = new ArrayList<>();
            for (Conn c : conns) {
                if (c.ready.awaitUninterruptibly(30, TimeUnit.SECONDS) && c.ready.isSuccess()) {
                    ready.add(c);
                } else {
                    c.fail("connection not ready within 30 s");
                    c.channel.close();
                }
            }
            return ready;
        }

        private String protocols() {
            Set<String> seen = new TreeSet<>();
            conns.stream().filter(c -> c.protocol != null).forEach(c -> seen.add(c.protocol));
            return seen.isEmpty() ? "-" : String.join("+", seen);
        }

        private void closeAll() {
            List<ChannelFuture> closing = new ArrayList<>();
            for (Conn c : conns) {
                if (c.channel != null) {
                    closing.add(c.channel.close());
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            closing.forEach(f -> f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS));
        }
    }

    /** One client connection: CONNECT, TLS, then the h2 or the HTTP/1.1 request loop. */
    static final class Conn {
        private final Peer peer;
        private final Settings s;
        private final Tally tally;
        Channel channel;
        Promise<Void> ready;
        volatile String protocol;
        volatile long done;
        volatile int inFlight;
        private final AtomicBoolean failed = new AtomicBoolean();
        private Runnable starter = () -> { };

        Conn(Peer peer, Settings s, Tally tally) {
            this.peer = peer;
            this.s = s;
            this.tally = tally;
        }

        void open(Bootstrap b, SslContext tls) {
            InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", peer.proxyPort());
            ready = GlobalEventExecutor.INSTANCE.newPromise();
            ChannelFuture f = b.clone().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    HttpProxyHandler connect = new HttpProxyHandler(proxy);
                    connect.setConnectTimeoutMillis(20_000);
                    SslHandler ssl = tls.newHandler(ch.alloc(), s.host(), peer.connectPort());
                    SSLEngine engine = ssl.engine();
                    SSLParameters params = engine.getSSLParameters();
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                    engine.setSSLParameters(params);
                    ch.pipeline().addLast("connect", connect).addLast("tls", ssl).addLast("errors", new Errors());
                    ssl.handshakeFuture().addListener(h -> {
                        if (h.isSuccess()) {
                            afterHandshake(ch, ssl.applicationProtocol());
                        } else {
                            fail("CONNECT or TLS failed: " + h.cause());
                        }
                    });
                }
            }).connect(InetSocketAddress.createUnresolved(s.host(), peer.connectPort()));
            channel = f.channel();
            channel.closeFuture().addListener(x -> fail("connection closed"));
        }

        /** The connection's first failure is one error; a close after it is not a second. */
        void fail(String why) {
            ready.tryFailure(new IOException(why));
            if (failed.compareAndSet(false, true)) {
                tally.error(why);
            }
        }

        private void afterHandshake(Channel ch, String alpn) {
            boolean h2 = ApplicationProtocolNames.HTTP_2.equals(alpn);
            protocol = h2 ? "h2" : "http/1.1";
            if (peer.h2() && !h2) {
                fail("ALPN chose " + alpn + ", not h2");
                ch.close();
                return;
            }
            if (h2) {
                H2Loop loop = new H2Loop(this);
                Http2ConnectionHandler handler = new Http2ConnectionHandlerBuilder().server(false)
                        .frameListener(loop).gracefulShutdownTimeoutMillis(0).build();
                handler.connection().addListener(loop);
                ch.pipeline().addBefore("errors", "h2", handler);
                loop.attach(handler, ch.pipeline().context(handler));
                starter = loop::start;
            } else {
                H1Loop loop = new H1Loop(this);
                ch.pipeline().addBefore("errors", "http", new HttpClientCodec()).addBefore("errors", "load", loop);
                starter = loop::start;
                ready.trySuccess(null);
            }
        }

        void start() {
            starter.run();
        }

        /** Last in the pipeline: an exception that reached it is an error, and the connection ends. */
        private final class Errors extends ChannelInboundHandlerAdapter {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                fail(cause.toString());
                ctx.close();
            }
        }

        String authority() {
            return peer.connectPort() == 443 ? s.host() : s.host() + ":" + peer.connectPort();
        }

        /** A whole response arrived: counted as done if it is the expected one, else an error. */
        void answered(int status, long bytes) {
            done++;
            if (status == 200 && bytes == s.size()) {
                tally.ok.increment();
            } else {
                tally.error("response status " + status + " with " + bytes + " bytes, expected 200 with " + s.size());
            }
        }
    }

    /** The h2 request loop: {@code streams} GETs in flight, a new one when one completes. */
    static final class H2Loop extends Http2EventAdapter {
        private final Conn conn;
        private final IntObjectHashMap<long[]> open = new IntObjectHashMap<>();
        private Http2ConnectionHandler handler;
        private ChannelHandlerContext ctx;
        private Http2Headers request;
        private int target;

        H2Loop(Conn conn) {
            this.conn = conn;
        }

        void attach(Http2ConnectionHandler h, ChannelHandlerContext c) {
            this.handler = h;
            this.ctx = c;
            this.request = new DefaultHttp2Headers().method("GET").scheme("https").authority(conn.authority())
                    .path(conn.s.path());
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext c, Http2Settings settings) {
            if (conn.ready.isDone()) {
                return;
            }
            Long max = settings.maxConcurrentStreams();
            target = max == null ? conn.s.streams() : (int) Math.min(conn.s.streams(), max);
            if (target < conn.s.streams()) {
                System.err.println(conn.peer.name() + ": SETTINGS_MAX_CONCURRENT_STREAMS " + max + " < " + conn.s.streams());
            }
            conn.inFlight = target;
            conn.ready.trySuccess(null);
        }

        void start() {
            for (int i = 0; i < target; i++) {
                send();
            }
            ctx.flush();
        }

        private void send() {
            if (conn.tally.stopping || !ctx.channel().isActive()) {
                return;
            }
            int id = handler.connection().local().incrementAndGetNextStreamId();
            open.put(id, new long[] {0, 0});
            handler.encoder().writeHeaders(ctx, id, request, 0, true, ctx.newPromise()).addListener(f -> {
                if (!f.isSuccess()) {
                    conn.tally.error("HEADERS not written: " + f.cause());
                }
            });
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext c, int id, Http2Headers headers, int padding, boolean end) {
            long[] st = open.get(id);
            if (st == null) {
                return;
            }
            if (st[0] == 0) {
                CharSequence status = headers.status();
                st[0] = status == null ? -1 : Integer.parseInt(status.toString());
            }
            if (end) {
                finish(id, st);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext c, int id, Http2Headers headers, int dependency, short weight,
                boolean exclusive, int padding, boolean end) {
            onHeadersRead(c, id, headers, padding, end);
        }

        @Override
        public int onDataRead(ChannelHandlerContext c, int id, ByteBuf data, int padding, boolean end) {
            int n = data.readableBytes();
            long[] st = open.get(id);
            if (st != null) {
                st[1] += n;
                if (end) {
                    finish(id, st);
                }
            }
            return n + padding;
        }

        private void finish(int id, long[] st) {
            open.remove(id);
            conn.answered((int) st[0], st[1]);
            send();
        }

        @Override
        public void onStreamClosed(Http2Stream stream) {
            if (open.remove(stream.id()) != null) {
                conn.tally.error("stream " + stream.id() + " closed before its response ended (reset or GOAWAY)");
                send();
            }
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext c, int lastStreamId, long errorCode, ByteBuf debugData) {
            conn.tally.error("GOAWAY " + errorCode + " after stream " + lastStreamId);
        }
    }

    /** The HTTP/1.1 request loop: one GET at a time on a kept-alive connection. */
    static final class H1Loop extends SimpleChannelInboundHandler<HttpObject> {
        private final Conn conn;
        private int status;
        private long bytes;
        private ChannelHandlerContext ctx;

        H1Loop(Conn conn) {
            this.conn = conn;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext c) {
            this.ctx = c;
        }

        void start() {
            conn.inFlight = 1;
            send();
        }

        private void send() {
            if (conn.tally.stopping) {
                return;
            }
            DefaultFullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, conn.s.path(),
                    Unpooled.EMPTY_BUFFER);
            r.headers().set(HttpHeaderNames.HOST, conn.authority());
            status = 0;
            bytes = 0;
            ctx.writeAndFlush(r).addListener(f -> {
                if (!f.isSuccess()) {
                    conn.tally.error("request not written: " + f.cause());
                }
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext c, HttpObject msg) {
            if (msg.decoderResult().isFailure()) {
                conn.tally.error("bad response: " + msg.decoderResult().cause());
                c.close();
                return;
            }
            if (msg instanceof HttpResponse r) {
                status = r.status().code();
            }
            if (msg instanceof HttpContent content) {
                bytes += content.content().readableBytes();
            }
            if (msg instanceof LastHttpContent) {
                conn.answered(status, bytes);
                send();
            }
        }
    }

    /** {@code pid} and all its descendants, from the parent PIDs in {@code /proc/N/stat}. */
    static Set<Long> processTree(long pid) throws IOException {
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                String[] f = statFields(p.resolve("stat"));
                if (f.length > 1) {
                    children.computeIfAbsent(Long.parseLong(f[1]), k -> new ArrayList<>())
                            .add(Long.parseLong(p.getFileName().toString()));
                }
            }
        }
        Set<Long> tree = new HashSet<>();
        List<Long> todo = new ArrayList<>(List.of(pid));
        while (!todo.isEmpty()) {
            long p = todo.remove(todo.size() - 1);
            if (tree.add(p)) {
                todo.addAll(children.getOrDefault(p, List.of()));
            }
        }
        return tree;
    }

    /** utime + stime, in clock ticks, of the given processes (one that has exited counts 0). */
    static long cpuTicks(Set<Long> pids) {
        long t = 0;
        for (long p : pids) {
            String[] f = statFields(Path.of("/proc", Long.toString(p), "stat"));
            if (f.length > 12) {
                t += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
        }
        return t;
    }

    /** This JVM's CPU time (the client), in nanoseconds. */
    static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The machine's CPU ticks from /proc/stat: {busy, total}, all CPUs (idle and iowait are not busy). */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total - Long.parseLong(f[4]) - Long.parseLong(f[5]), total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static double busyPct(long[] a, long[] b) {
        long total = b[1] - a[1];
        return total <= 0 ? -1 : 100.0 * (b[0] - a[0]) / total;
    }

    /** The fields of a stat file after "(comm) ": [0] state, [1] ppid, [11] utime, [12] stime. */
    private static String[] statFields(Path stat) {
        try {
            String line = Files.readString(stat);
            return line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return new String[0];
        }
    }
}
