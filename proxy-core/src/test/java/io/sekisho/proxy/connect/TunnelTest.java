package io.sekisho.proxy.connect;

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
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CONNECT tunnels through the real proxy to a raw TCP echo server and an HTTP origin. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TunnelTest {
    private EchoServer echo;
    private RecordingOrigin origin;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer();
        origin = new RecordingOrigin();
        proxy = ProxyFixture.start(TestConfigs.builder()
                        .resolve("echo.test", echo.port())
                        .resolve("origin.test", origin.port())
                        .idleTimeout(Duration.ofSeconds(20))
                        .build(),
                TestPolicy.allowing("echo.test", "origin.test", "rebind.test"));
    }

    @AfterEach
    void stop() {
        proxy.close();
        origin.close();
        echo.close();
    }

    @Test
    void connectRelaysBytesBothWaysAndPassesHalfClose() throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            String head = c.send("CONNECT echo.test:443 HTTP/1.1\r\nHost: echo.test:443\r\n\r\n").readHead();
            assertThat(head).startsWith("HTTP/1.1 200 Connection established\r\n");

            c.send("hello through the tunnel");
            c.shutdownOutput();
            byte[] back = c.readToEnd();

            assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("hello through the tunnel");
        }
        Map<String, Object> line = proxy.audit().await("CONNECT", "echo.test");
        assertThat(line).containsEntry("verdict", "ALLOW").containsEntry("port", 443L)
                .containsEntry("bytesUp", 24L).containsEntry("bytesDown", 24L).containsEntry("path", "");
        assertThat(echo.finsReceived()).isEqualTo(1);
    }

    @Test
    void aBulkTransferIsRelayedIntactBothWaysWithExactByteCounts() throws Exception {
        int size = 48 * 1024 * 1024;
        byte[] data = new byte[size];
        new Random(7).nextBytes(data);
        try (RawClient c = new RawClient(proxy.port())) {
            assertThat(c.send("CONNECT echo.test:443 HTTP/1.1\r\n\r\n").readHead()).startsWith("HTTP/1.1 200");
            // Written from another thread while this one reads: the echo and the tunnel only
            // move on as fast as both ends read (the relay's backpressure).
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < size; off += 1 << 20) {
                        c.send(Arrays.copyOfRange(data, off, off + (1 << 20)));
                    }
                    c.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] back = c.readToEnd();
            writer.get(30, TimeUnit.SECONDS);
            assertThat(back.length).isEqualTo(size);
            assertThat(Arrays.equals(back, data)).as("echoed bytes equal the sent bytes").isTrue();
        }
        Map<String, Object> line = proxy.audit().await("CONNECT", "echo.test");
        assertThat(line).containsEntry("bytesUp", (long) size).containsEntry("bytesDown", (long) size);
        assertThat(echo.finsReceived()).isEqualTo(1);
    }

    @Test
    void http10ConnectWithoutAnyHeaderWorks() throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            // Python's http.client sends exactly this for a tunnel.
            String head = c.send("CONNECT echo.test:443 HTTP/1.0\r\n\r\n").readHead();
            assertThat(head).startsWith("HTTP/1.0 200 Connection established\r\n");
            c.send("ping");
            assertThat(new String(c.readExactly(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
        }
    }

    @Test
    void bytesSentWithTheConnectHeadAreRelayedAfterThe200() throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            String head = c.send("CONNECT echo.test:443 HTTP/1.1\r\n\r\nearly bytes").readHead();
            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(new String(c.readExactly(11), StandardCharsets.US_ASCII)).isEqualTo("early bytes");
        }
    }

    @Test
    void deniedConnectGets403WithReasonAndIsAuditedAtOnce() throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            String head = c.send("CONNECT blocked.test:443 HTTP/1.1\r\n\r\n").readHead();
            assertThat(head).startsWith("HTTP/1.1 403 Forbidden\r\n").contains("X-Sekisho-Reason: DOMAIN_NOT_ALLOWED");
            assertThat(c.closedByPeer(5000)).isTrue();
        }
        Map<String, Object> line = proxy.audit().await("CONNECT", "blocked.test");
        assertThat(line).containsEntry("verdict", "DENY").containsEntry("reason", "DOMAIN_NOT_ALLOWED");
        assertThat(echo.connections()).isZero();
    }

    @Test
    void aNameResolvingToAPrivateAddressIsDeniedByAddress() throws Exception {
        proxy.resolver().map("rebind.test", InetAddress.getByName("127.0.0.1"));
        try (RawClient c = new RawClient(proxy.port())) {
            String head = c.send("CONNECT rebind.test:443 HTTP/1.1\r\n\r\n").readHead();
            assertThat(head).startsWith("HTTP/1.1 403").contains("X-Sekisho-Reason: PRIVATE_ADDRESS");
        }
        assertThat(proxy.audit().await("CONNECT", "rebind.test")).containsEntry("reason", "PRIVATE_ADDRESS");
    }

    @Test
    void aNameThatDoesNotResolveIs502DnsFailed() throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            String head = c.send("CONNECT rebind.test:443 HTTP/1.1\r\n\r\n").readHead();
            assertThat(head).startsWith("HTTP/1.1 502").contains("X-Sekisho-Reason: DNS_FAILED");
        }
    }

    @Test
    void curlTunnelsHttpThroughConnect() {
        // -p makes curl CONNECT even for http://, so this is a real client's tunnel.
        Curl.Result r = Curl.viaProxy(proxy.url(), "-p", "http://origin.test:443/through-tunnel");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok GET /through-tunnel");
        assertThat(origin.awaitRequest(1).uri()).isEqualTo("/through-tunnel");
        assertThat(proxy.audit().await("CONNECT", "origin.test")).containsEntry("verdict", "ALLOW");
    }

    @Test
    void aConnectToAClosedPortIs502AndAudited() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (ProxyFixture p = ProxyFixture.start(TestConfigs.builder().resolve("gone.test", closed).build(),
                TestPolicy.allowing("gone.test")); RawClient c = new RawClient(p.port())) {
            String head = c.send("CONNECT gone.test:443 HTTP/1.1\r\n\r\n").readHead();
            assertThat(head).startsWith("HTTP/1.1 502").contains("X-Sekisho-Reason: UPSTREAM_CONNECT_FAILED");
            assertThat(p.audit().await("CONNECT", "gone.test")).containsEntry("verdict", "DENY")
                    .containsEntry("rule", "gone.test");
        }
    }
}
