package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code limits.minRequestBodyRate} and {@code timeouts.requestBody} with real sockets: a body
 * trickled a byte at a time is cut with 408 and its own reason in the audit line; uploads that
 * keep up the rate, fast or paced, are untouched. Small windows keep the test short.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestBodyTimeoutTest {
    private static final String HEAD = "POST http://a.test/upload HTTP/1.1\r\nHost: a.test\r\nContent-Length: 100000\r\n\r\n";

    private static ProxyFixture proxy(RecordingOrigin origin, Duration total, int minRate) {
        return ProxyFixture.start(TestConfigs.builder().resolve("a.test", origin.port())
                .requestBody(total, minRate, Duration.ofSeconds(1)).build(), TestPolicy.allowing("a.test"));
    }

    /** Sends one byte every {@code pauseMillis} until the proxy answers (bounded by the test's timeout). */
    private static String trickleUntilAnswered(RawClient c, long pauseMillis) throws Exception {
        c.send(HEAD);
        while (c.in().available() == 0) {
            c.send("x");
            Thread.sleep(pauseMillis);
        }
        return c.readHead();
    }

    /** The rate cuts a trickle long before the deadline; with the rate off, the deadline cuts it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"REQUEST_BODY_TOO_SLOW, 3600, 100, 250", "REQUEST_BODY_TIMEOUT, 2, 0, 100"})
    void aTrickledBodyIsCutWith408AndItsReason(String reason, long totalSeconds, int minRate, long pauseMillis)
            throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = proxy(origin, Duration.ofSeconds(totalSeconds), minRate);
                RawClient c = new RawClient(proxy.port())) {
            String head = trickleUntilAnswered(c, pauseMillis);

            assertThat(head).startsWith("HTTP/1.1 408 ").contains("X-Sekisho-Reason: " + reason + "\r\n");
            assertThat(c.closedByPeer(5000)).isTrue();
            Map<String, Object> line = proxy.audit().await(l -> reason.equals(l.get("reason")), Duration.ofSeconds(10));
            assertThat(line).containsEntry("verdict", "DENY").containsEntry("method", "POST")
                    .containsEntry("host", "a.test").containsEntry("path", "/upload");
            assertThat(origin.awaitRequest(1).complete()).isFalse();
        }
    }

    @Test
    void anUploadThatKeepsUpTheRateIsUntouched(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("upload.bin"), new byte[4 * 1024 * 1024]);
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = proxy(origin, Duration.ofSeconds(30), 1000);
                RawClient paced = new RawClient(proxy.port())) {
            Curl.Result fast = Curl.viaProxy(proxy.url(), "--data-binary", "@" + file, "http://a.test/fast");
            assertThat(fast.status()).as(fast.stderr()).isEqualTo(200);
            assertThat(origin.awaitRequest(1).bodyLength()).isEqualTo(4 * 1024 * 1024);

            // 2 KiB every 100 ms for 3 s: slower than curl by far, still 20 times the rate.
            paced.send("POST http://a.test/paced HTTP/1.1\r\nHost: a.test\r\nContent-Length: 61440\r\n\r\n");
            for (int i = 0; i < 30; i++) {
                paced.send("p".repeat(2048));
                Thread.sleep(100);
            }
            assertThat(paced.readHead()).startsWith("HTTP/1.1 200 ");
            assertThat(origin.awaitRequest(2).bodyLength()).isEqualTo(61_440);
            assertThat(proxy.audit().await(l -> "/paced".equals(l.get("path")), Duration.ofSeconds(10)))
                    .containsEntry("verdict", "ALLOW").containsEntry("bytesUp", 61_440L);
        }
    }

    /**
     * The time an upstream takes to accept the body is the upstream's: an origin that stops
     * reading for three windows (its socket buffers full, so the proxy stops reading the client)
     * does not get a fast client cut for slowness.
     */
    @Test
    void anUpstreamThatReadsSlowlyDoesNotCountAgainstTheClient(@TempDir Path dir) throws Exception {
        int size = 32 * 1024 * 1024;
        Path file = Files.write(dir.resolve("upload.bin"), new byte[size]);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> slowOrigin(server));
            try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("a.test", server.getLocalPort())
                    .requestBody(Duration.ofSeconds(30), 1000, Duration.ofSeconds(1)).build(),
                    TestPolicy.allowing("a.test"))) {
                Curl.Result r = Curl.viaProxy(proxy.url(), "--data-binary", "@" + file, "-H", "Expect:",
                        "http://a.test/slow");

                assertThat(r.status()).as(r.stderr()).isEqualTo(200);
                assertThat(received.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(size);
            }
        }
    }

    /** Accepts one connection, reads nothing for 3 s, then reads all it is sent and answers 200. */
    private static long slowOrigin(ServerSocket server) {
        try (Socket s = server.accept()) {
            Thread.sleep(3000);
            s.setSoTimeout(1000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                }
            } catch (SocketTimeoutException e) {
                // The whole request was read: the proxy waits for the answer now.
            }
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
