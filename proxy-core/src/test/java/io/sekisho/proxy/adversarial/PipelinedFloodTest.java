package io.sekisho.proxy.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.intercept.TunnelSockets;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One connection must not exhaust the proxy (issue 18 points 2 and 6): a client with a 4 KiB
 * receive buffer writes 200 000 pipelined requests and never reads a response. Reading the next
 * request waits for the client to read, so the proxy stops taking requests once its write buffer
 * to that client is full: the count of requests it judged stops growing far below what was
 * sent, its heap does not grow with the flood, and other clients are served meanwhile. Both
 * paths: absolute-form requests the origin answers, and requests inside an intercepted CONNECT
 * that Sekisho itself refuses with 403.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PipelinedFloodTest {
    private static final String PLAIN = "plain.example.test";
    private static final String AWS = "s3.us-east-1.amazonaws.com";
    private static final int REQUESTS = 200_000;
    /**
     * A quarter of REQUESTS: above what the kernel's socket buffers hold of the responses (Linux
     * grows the proxy's send buffer up to tcp_wmem's 4 MiB, some 20 000 short 403s) plus one
     * Netty write buffer. Without backpressure the count never settles (it passed 65 000 within a
     * minute, still growing, before the fix).
     */
    private static final int JUDGED_BOUND = 50_000;
    private static final long HEAP_GROWTH_BOUND = 64L << 20;

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static ProxyCa ca;
    static TestPolicy policy;
    static ProxyFixture proxy;

    enum Path2 { ABSOLUTE_FORM, INTERCEPTED_REFUSED }

    @BeforeAll
    static void start() {
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        policy = TestPolicy.allowing("*").intercepting(true).denyRequestsWhere(f -> f.path().equals("/deny"))
                .countOnly();
        proxy = ProxyFixture.start(TestConfigs.builder()
                .resolve(PLAIN, origin.httpPort())
                .resolve(".amazonaws.com", origin.httpsPort())
                .interceptWith(ca.pem(), ca.key())
                .trust(originPki.caPem())
                .build(), policy);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @ParameterizedTest
    @EnumSource(Path2.class)
    void aClientThatNeverReadsCostsBoundedMemoryAndOthersAreServed(Path2 path) throws Exception {
        long heapBefore = heapAfterGc();
        int judgedBefore = policy.judged();
        AtomicInteger written = new AtomicInteger();
        try (Socket flood = open(path)) {
            Thread writer = new Thread(() -> writeFlood(flood, path, written), "flood-writer");
            writer.setDaemon(true);
            writer.start();
            int judged = awaitSettled(() -> policy.judged() - judgedBefore);
            assertThat(judged).as("requests the proxy took from the flood (%d written)", written.get())
                    .isLessThan(JUDGED_BOUND);
            assertThat(written.get()).as("the client could not write everything: the proxy stopped reading")
                    .isLessThan(REQUESTS);

            try (RawClient other = new RawClient(proxy.port())) {
                String head = other.send("GET http://" + PLAIN + "/other HTTP/1.1\r\nHost: " + PLAIN
                        + "\r\nConnection: close\r\n\r\n").readHead();
                assertThat(head).as("another client during the flood").startsWith("HTTP/1.1 200 ");
            }
            Thread.sleep(2000);
            assertThat(policy.judged() - judgedBefore).as("two seconds later: only the other client's request more")
                    .isEqualTo(judged + 1);
            assertThat(heapAfterGc() - heapBefore).as("heap growth during the flood").isLessThan(HEAP_GROWTH_BOUND);
        }
        try (RawClient after = new RawClient(proxy.port())) {
            assertThat(after.send("GET http://" + PLAIN + "/after HTTP/1.1\r\nHost: " + PLAIN
                    + "\r\nConnection: close\r\n\r\n").readHead()).startsWith("HTTP/1.1 200 ");
        }
    }

    private static void writeFlood(Socket s, Path2 path, AtomicInteger written) {
        String one = path == Path2.ABSOLUTE_FORM
                ? "GET http://" + PLAIN + "/flood HTTP/1.1\r\nHost: " + PLAIN + "\r\n\r\n"
                : "GET /deny HTTP/1.1\r\nHost: " + AWS + "\r\n\r\n";
        byte[] batch = one.repeat(500).getBytes(StandardCharsets.US_ASCII);
        try {
            OutputStream out = s.getOutputStream();
            while (written.get() < REQUESTS) {
                out.write(batch);
                out.flush();
                written.addAndGet(500);
            }
        } catch (IOException e) {
            // the test closed the socket while this thread was blocked in write
        }
    }

    /**
     * Waits until the count of requests the proxy took has not changed for three seconds: the
     * proxy stopped reading the flood. Fails if it still grows after a minute.
     */
    private static int awaitSettled(java.util.function.IntSupplier judged) throws InterruptedException {
        int last = -1;
        long since = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            int now = judged.getAsInt();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > TimeUnit.SECONDS.toNanos(3)) {
                return now;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the proxy kept taking requests from a client that reads nothing: " + last);
    }

    private static Socket open(Path2 path) throws IOException {
        Socket raw = new Socket();
        raw.setReceiveBufferSize(4096);
        raw.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);
        raw.setSoTimeout(15_000);
        if (path == Path2.ABSOLUTE_FORM) {
            return raw;
        }
        return TunnelSockets.handshake(TunnelSockets.connect(raw, AWS, 443), AWS, AWS, ca.clientContext());
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
