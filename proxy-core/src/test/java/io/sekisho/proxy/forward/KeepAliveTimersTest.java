package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-connection timers of kept-alive connections, which are armed and disarmed on every
 * request but re-armed lazily: a parked upstream connection (upstream.poolIdleTimeout, an origin
 * speaking unasked) and a kept-alive client connection (timeouts.requestHeader). All on one
 * client connection, so that every request lands on the same event loop and its pool.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeepAliveTimersTest {
    private RecordingOrigin origin;
    private ProxyFixture proxy;

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new RecordingOrigin();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        origin.close();
    }

    private void startProxy(TestConfigs config) {
        proxy = ProxyFixture.start(config.resolve("origin.test", origin.port()).build(), TestPolicy.allowing("*"));
    }

    @Test
    void aParkedUpstreamConnectionIsClosedAfterThePoolIdleTimeout() throws Exception {
        startProxy(TestConfigs.builder().poolIdleTimeout(Duration.ofMillis(300)));
        try (RawClient c = new RawClient(proxy.port())) {
            assertThat(get(c, "/one")).isEqualTo("ok GET /one");
            assertThat(await(origin::connectionsClosed, 1)).isTrue();

            assertThat(get(c, "/two")).isEqualTo("ok GET /two");
        }
        assertThat(origin.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void aConnectionReusedMoreOftenThanThePoolIdleTimeoutStaysOpen() throws Exception {
        startProxy(TestConfigs.builder().poolIdleTimeout(Duration.ofMillis(300)));
        try (RawClient c = new RawClient(proxy.port())) {
            // 12 requests over about 1.2 s: each parking is shorter than 300 ms, their sum is not.
            for (int i = 0; i < 12; i++) {
                assertThat(get(c, "/r" + i)).isEqualTo("ok GET /r" + i);
                Thread.sleep(100);
            }
        }
        assertThat(origin.connectionsOpened()).isEqualTo(1);
    }

    @Test
    void anOriginSpeakingWhileParkedLosesItsConnection() throws Exception {
        startProxy(TestConfigs.builder());
        try (RawClient c = new RawClient(proxy.port())) {
            assertThat(get(c, "/then-speak")).isEqualTo("ok GET /then-speak");
            assertThat(await(origin::connectionsClosed, 1)).isTrue();

            // Had the unasked bytes been kept, they would be read as this request's response.
            assertThat(get(c, "/after")).isEqualTo("ok GET /after");
        }
        assertThat(origin.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void aKeptAliveClientIsClosedQuietlyWhenNoNextRequestComes() throws Exception {
        startProxy(TestConfigs.builder().requestHeaderTimeout(Duration.ofMillis(300)));
        try (RawClient c = new RawClient(proxy.port())) {
            // Requests more often than the timeout, for longer than it: the connection stays usable.
            for (int i = 0; i < 8; i++) {
                assertThat(get(c, "/k" + i)).isEqualTo("ok GET /k" + i);
                Thread.sleep(100);
            }
            // Then nothing: closed without a 408 (the client did nothing wrong).
            assertThat(c.readToEnd()).isEmpty();
        }
        assertThat(proxy.audit().all()).noneMatch(l -> "REQUEST_HEADER_TIMEOUT".equals(l.get("reason")));
    }

    /** One keep-alive GET through the proxy on {@code c}; returns the body. */
    private static String get(RawClient c, String path) throws IOException {
        String head = c.send("GET http://origin.test" + path + " HTTP/1.1\r\nHost: origin.test\r\n\r\n").readHead();
        assertThat(head).startsWith("HTTP/1.1 200 ");
        int length = Integer.parseInt(head.replaceAll("(?is).*\r\ncontent-length: *(\\d+)\r\n.*", "$1"));
        return new String(c.readExactly(length), StandardCharsets.UTF_8);
    }

    private static boolean await(IntSupplier value, int expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (value.getAsInt() >= expected) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
