package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every way the upstream can fail, each with its status and reason code, over real sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamFailureTest {
    private RecordingOrigin origin;

    @BeforeEach
    void start() throws Exception {
        origin = new RecordingOrigin();
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    private ProxyFixture proxy(TestConfigs config) {
        return ProxyFixture.start(config.resolve("origin.test", origin.port()).build(), TestPolicy.allowing("*"));
    }

    @Test
    void aRefusedConnectionIs502UpstreamConnectFailed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (ProxyFixture proxy = proxy(TestConfigs.builder().resolve("refused.test", closedPort))) {
            Curl.Result r = Curl.viaProxy(proxy.url(), "http://refused.test/");

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.header("X-Sekisho-Reason")).isEqualTo("UPSTREAM_CONNECT_FAILED");
            assertThat(proxy.audit().await("GET", "refused.test")).containsEntry("verdict", "DENY")
                    .containsEntry("reason", "UPSTREAM_CONNECT_FAILED");
        }
    }

    @Test
    void aConnectThatNeverCompletesIs504AfterTheConnectTimeout() throws Exception {
        // A listening socket that never accepts, with its backlog full: the kernel drops further
        // SYNs, so a connect hangs as it would towards a black-holed address.
        try (ServerSocket blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            boolean full = false;
            for (int i = 0; i < 16 && !full; i++) {
                Socket s = new Socket();
                fillers.add(s);
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), blackhole.getLocalPort()), 300);
                } catch (SocketTimeoutException e) {
                    full = true;
                }
            }
            assumeTrue(full, "this kernel accepts SYNs beyond a full backlog");
            try (ProxyFixture proxy = proxy(TestConfigs.builder().resolve("blackhole.test", blackhole.getLocalPort())
                    .connectTimeout(Duration.ofMillis(500)))) {
                Curl.Result r = Curl.viaProxy(proxy.url(), "http://blackhole.test/");

                assertThat(r.status()).isEqualTo(504);
                assertThat(r.header("X-Sekisho-Reason")).isEqualTo("UPSTREAM_TIMEOUT");
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void anOriginThatNeverAnswersIs504AfterTheResponseTimeoutAndItsConnectionIsNotReused() {
        try (ProxyFixture proxy = proxy(TestConfigs.builder().upstreamResponseTimeout(Duration.ofMillis(500)))) {
            Curl.Result r = Curl.viaProxy(proxy.url(), "http://origin.test/stall");

            assertThat(r.status()).isEqualTo(504);
            assertThat(r.header("X-Sekisho-Reason")).isEqualTo("UPSTREAM_TIMEOUT");
            assertThat(proxy.audit().await("GET", "origin.test")).containsEntry("reason", "UPSTREAM_TIMEOUT");
            Curl.Result next = Curl.viaProxy(proxy.url(), "http://origin.test/after");
            assertThat(next.status()).isEqualTo(200);
            assertThat(origin.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void anOriginThatClosesBeforeAnsweringIs502() {
        try (ProxyFixture proxy = proxy(TestConfigs.builder())) {
            Curl.Result r = Curl.viaProxy(proxy.url(), "http://origin.test/close-early");

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.header("X-Sekisho-Reason")).isEqualTo("UPSTREAM_PROTOCOL_ERROR");
        }
    }

    @Test
    void anOriginThatClosesMidBodyCutsTheClientOffAndIsAudited() {
        try (ProxyFixture proxy = proxy(TestConfigs.builder())) {
            Curl.Result r = Curl.viaProxy(proxy.url(), "http://origin.test/close-mid-body");

            assertThat(r.exitCode()).isEqualTo(18); // CURLE_PARTIAL_FILE: fewer bytes than announced
            assertThat(proxy.audit().await("GET", "origin.test")).containsEntry("bytesDown", 100L);
        }
    }

    @Test
    void aClientThatAbortsMidDownloadClosesTheUpstreamAndIsAudited() throws Exception {
        try (ProxyFixture proxy = proxy(TestConfigs.builder())) {
            try (RawClient c = new RawClient(proxy.port())) {
                String head = c.send("GET http://origin.test/large/200000000 HTTP/1.1\r\nHost: origin.test\r\n\r\n")
                        .readHead();
                assertThat(head).startsWith("HTTP/1.1 200");
                assertThat(c.readExactly(1_000_000)).hasSize(1_000_000);
            }
            var line = proxy.audit().await("GET", "origin.test");
            assertThat((Long) line.get("bytesDown")).isBetween(1_000_000L, 199_999_999L);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (origin.connectionsClosed() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(origin.connectionsClosed()).isEqualTo(1);
        }
    }
}
