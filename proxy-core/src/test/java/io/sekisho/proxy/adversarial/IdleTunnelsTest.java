package io.sekisho.proxy.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.EchoServer;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many tunnels opened and then left silent hold two sockets each in the proxy until
 * timeouts.idle closes them; meanwhile a new client must still be served.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleTunnelsTest {
    private static final int TUNNELS = 200;
    private static final Duration IDLE = Duration.ofSeconds(4);

    @Test
    void manyIdleTunnelsAreClosedAfterTheIdleTimeoutAndANewClientIsServedMeanwhile() throws Exception {
        try (EchoServer echo = new EchoServer(); RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("echo.test", echo.port())
                        .resolve("origin.test", origin.port()).idleTimeout(IDLE).build(),
                        TestPolicy.allowing("echo.test", "origin.test"))) {
            long start = System.nanoTime();
            List<RawClient> idle = open(proxy.port());
            try {
                long openedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(openedAfter).as("all tunnels open well within the idle timeout").isLessThan(IDLE.toMillis() / 2);
                assertThat(echo.connections()).isEqualTo(TUNNELS);

                // A new client, forwarded and tunnelled, while every idle tunnel holds its sockets.
                assertThat(Curl.viaProxy(proxy.url(), "http://origin.test/new-client").status()).isEqualTo(200);
                try (RawClient fresh = tunnel(proxy.port())) {
                    assertThat(echoOnce(fresh, "fresh")).isEqualTo("fresh");
                }
                assertThat(idle).as("none closed before timeouts.idle").noneMatch(IdleTunnelsTest::closedNow);

                for (RawClient c : idle) {
                    assertThat(c.closedByPeer(10_000)).isTrue();
                }
                long closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(closedAfter).isBetween(IDLE.toMillis(), IDLE.toMillis() + 8_000);
            } finally {
                for (RawClient c : idle) {
                    c.close();
                }
            }
            // The upstream halves are closed too (the echo server sees a FIN on each), and every
            // tunnel has its audit line.
            assertThat(Probes.until(() -> echo.finsReceived() == TUNNELS + 1)).as("FINs: %s", echo.finsReceived()).isTrue();
            assertThat(Probes.until(() -> proxy.audit().all().stream()
                    .filter(l -> "CONNECT".equals(l.get("method"))).count() == TUNNELS + 1)).isTrue();
            assertThat(origin.requests()).hasSize(1);
        }
    }

    /** {@link #TUNNELS} tunnels to the echo server, each used once, opened 16 at a time. */
    private static List<RawClient> open(int proxyPort) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<RawClient>> opening = new ArrayList<>();
            for (int i = 0; i < TUNNELS; i++) {
                String word = "t" + i;
                opening.add(pool.submit(() -> {
                    RawClient c = tunnel(proxyPort);
                    if (!echoOnce(c, word).equals(word)) {
                        throw new AssertionError("tunnel " + word + " did not echo");
                    }
                    return c;
                }));
            }
            List<RawClient> opened = new ArrayList<>();
            for (Future<RawClient> f : opening) {
                opened.add(f.get(20, TimeUnit.SECONDS));
            }
            return opened;
        } finally {
            pool.shutdownNow();
        }
    }

    private static RawClient tunnel(int proxyPort) throws IOException {
        RawClient c = new RawClient(proxyPort);
        String head = c.send("CONNECT echo.test:443 HTTP/1.1\r\nHost: echo.test:443\r\n\r\n").readHead();
        if (!head.startsWith("HTTP/1.1 200 ")) {
            c.close();
            throw new AssertionError("CONNECT refused: " + head);
        }
        return c;
    }

    private static String echoOnce(RawClient c, String word) throws IOException {
        byte[] bytes = word.getBytes(StandardCharsets.US_ASCII);
        return new String(c.send(bytes).readExactly(bytes.length), StandardCharsets.US_ASCII);
    }

    private static boolean closedNow(RawClient c) {
        try {
            return c.closedByPeer(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
