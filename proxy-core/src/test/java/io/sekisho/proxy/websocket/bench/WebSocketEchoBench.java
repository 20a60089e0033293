package io.sekisho.proxy.websocket.bench;

import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import io.sekisho.proxy.testing.WebSocketOrigin;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Issue 16 point 6 (WebSocket half): echo throughput through TLS interception beside a plain
 * CONNECT tunnel, in one JVM and one run: a Netty WebSocket origin over TLS, two proxies (the
 * same policy, intercepting or not), and {@code CONNS} JDK WebSocket clients that each send a
 * {@code SIZE}-byte binary message and wait for its echo, for {@code DURATION} seconds, the mode
 * order swapped every rep. Prints one TSV line per rep and mode: messages/s, payload MiB/s each
 * way, and this process's CPU per message (client, proxy and origin together: one JVM).
 * Run with bench/websocket-echo.sh.
 */
public final class WebSocketEchoBench {
    private WebSocketEchoBench() {
    }

    public static void main(String[] args) throws Exception {
        int conns = Integer.getInteger("conns", 8);
        int size = Integer.getInteger("size", 16 * 1024);
        int seconds = Integer.getInteger("duration", 10);
        int warmup = Integer.getInteger("warmup", 3);
        int reps = Integer.getInteger("reps", 3);
        Path tmp = Files.createTempDirectory("ws-bench");
        TestPki pki = TestPki.create(tmp.resolve("origin-pki"));
        ProxyCa ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        try (WebSocketOrigin origin = new WebSocketOrigin(pki.leaf("ws.example.test").serverContext());
                ProxyFixture intercept = proxy(origin, pki, ca, true);
                ProxyFixture tunnel = proxy(origin, pki, ca, false)) {
            HttpClient viaIntercept = client(intercept.port(), trusting(ca.certificate()));
            HttpClient viaTunnel = client(tunnel.port(), trusting(pki.caCertificate()));
            System.out.println("rep\tmode\tconns\tsize\tmsgs_per_s\tMiB_per_s_each_way\tcpu_us_per_msg");
            for (int rep = 1; rep <= reps; rep++) {
                boolean interceptFirst = rep % 2 == 1;
                for (int i = 0; i < 2; i++) {
                    boolean intercepting = (i == 0) == interceptFirst;
                    run(rep, intercepting ? "intercept" : "tunnel", intercepting ? viaIntercept : viaTunnel,
                            conns, size, warmup, seconds);
                }
            }
        }
    }

    private static ProxyFixture proxy(WebSocketOrigin origin, TestPki pki, ProxyCa ca, boolean intercepting) {
        return ProxyFixture.start(TestConfigs.builder().resolve(".example.test", origin.port())
                .interceptWith(ca.pem(), ca.key()).trust(pki.caPem()).idleTimeout(Duration.ofMinutes(5)).build(),
                TestPolicy.allowing("*").intercepting(intercepting));
    }

    private static void run(int rep, String mode, HttpClient client, int conns, int size, int warmup, int seconds)
            throws Exception {
        AtomicLong echoed = new AtomicLong();
        List<Echoer> echoers = new ArrayList<>();
        for (int c = 0; c < conns; c++) {
            echoers.add(new Echoer(client, size, echoed));
        }
        echoers.forEach(Echoer::start);
        TimeUnit.SECONDS.sleep(warmup);
        long cpu0 = cpuNanos();
        long n0 = echoed.get();
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        long n = echoed.get() - n0;
        double s = (System.nanoTime() - t0) / 1e9;
        long cpu = cpuNanos() - cpu0;
        echoers.forEach(Echoer::stop);
        System.out.printf("%d\t%s\t%d\t%d\t%.0f\t%.1f\t%.1f%n", rep, mode, conns, size, n / s,
                n * (double) size / s / (1024 * 1024), n == 0 ? 0 : cpu / 1e3 / n);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static HttpClient client(int port, SSLContext tls) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port)))
                .sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static SSLContext trusting(java.security.cert.X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** One WebSocket: send, wait for the whole echo, send again, until stopped. */
    private static final class Echoer implements WebSocket.Listener {
        private final HttpClient client;
        private final byte[] payload;
        private final AtomicLong echoed;
        private volatile boolean running = true;
        private int received;
        private WebSocket ws;

        Echoer(HttpClient client, int size, AtomicLong echoed) {
            this.client = client;
            this.payload = new byte[size];
            this.echoed = echoed;
        }

        void start() {
            ws = client.newWebSocketBuilder().buildAsync(URI.create("wss://ws.example.test/echo"), this).join();
            ws.sendBinary(ByteBuffer.wrap(payload), true);
        }

        void stop() {
            running = false;
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            received += data.remaining();
            if (last && received >= payload.length) {
                received = 0;
                echoed.incrementAndGet();
                if (running) {
                    w.sendBinary(ByteBuffer.wrap(payload), true);
                }
            }
            w.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
