package io.sekisho.proxy.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import io.sekisho.proxy.testing.WebSocketOrigin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 1: a WebSocket through TLS interception, with the JDK's WebSocket client and a
 * Netty WebSocket origin behind the real proxy. The upgrade is a request the policy decides;
 * allowed, the 101 is relayed and messages flow both ways (a 2 MiB one too, through the
 * read-after-write relay); denied, the client gets 403 and the origin sees nothing; each
 * WebSocket gets one audit line at its end. Any other upgrade (h2c) reaches the origin as a
 * plain request.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebSocketInterceptionTest {
    @TempDir
    static Path tmp;
    static WebSocketOrigin origin;
    static ProxyCa ca;
    static ProxyFixture proxy;
    static HttpClient client;

    @BeforeAll
    static void start() {
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = new WebSocketOrigin(originPki.leaf("ws.example.test", "denied.example.test").serverContext());
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        TestPolicy policy = TestPolicy.allowing("*").intercepting(true)
                .denyRequestsWhere(f -> f.host().value().startsWith("denied."));
        proxy = ProxyFixture.start(TestConfigs.builder()
                .resolve(".example.test", origin.port())
                .interceptWith(ca.pem(), ca.key())
                .trust(originPki.caPem())
                .build(), policy);
        client = WebSocketClient.httpClient(proxy.port(), ca.clientContext());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void anAllowedWebSocketEchoesBothWaysAndIsAuditedAtItsEnd() throws Exception {
        WebSocketClient listener = new WebSocketClient();
        WebSocket ws = WebSocketClient.open(client, URI.create("wss://ws.example.test/chat?room=1"), listener)
                .get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 50; i++) {
            ws.sendText("hello " + i, true).get(10, TimeUnit.SECONDS);
            assertThat(new String(listener.next(), StandardCharsets.UTF_8)).isEqualTo("hello " + i);
        }
        byte[] big = new byte[2 * 1024 * 1024];
        new Random(16).nextBytes(big);
        ws.sendBinary(ByteBuffer.wrap(big), true).get(30, TimeUnit.SECONDS);
        assertThat(listener.next()).isEqualTo(big);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        assertThat(listener.closed().get(30, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);

        RecordingOrigin.Recorded upgrade = origin.requests().stream()
                .filter(r -> r.uri().startsWith("/chat")).findFirst().orElseThrow();
        assertThat(upgrade.header("Upgrade")).isEqualToIgnoringCase("websocket");
        assertThat(upgrade.header("Connection")).containsIgnoringCase("upgrade");
        assertThat(upgrade.header("Sec-WebSocket-Key")).isNotBlank();
        assertThat(upgrade.header("Via")).isEqualTo("1.1 sekisho");
        Map<String, Object> line = proxy.audit().await(l -> "/chat".equals(l.get("path"))
                && "ws.example.test".equals(l.get("host")), Duration.ofSeconds(30));
        assertThat(line).containsEntry("method", "GET").containsEntry("host", "ws.example.test")
                .containsEntry("verdict", "ALLOW").containsEntry("status", 101L);
        // The frames' bytes, with their headers (client frames are masked): more than the payloads.
        assertThat(((Number) line.get("bytesUp")).longValue()).isGreaterThan(big.length);
        assertThat(((Number) line.get("bytesDown")).longValue()).isGreaterThan(big.length);
        assertThat(line).containsKey("durationMs");
    }

    @Test
    void aDeniedUpgradeGets403AndNeverReachesTheOrigin() throws Exception {
        int before = origin.requests().size();
        WebSocketClient listener = new WebSocketClient();
        assertThatThrownBy(() -> WebSocketClient.open(client, URI.create("wss://denied.example.test/chat"), listener)
                .get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        Map<String, Object> line = proxy.audit().await(l -> "denied.example.test".equals(l.get("host"))
                && "GET".equals(l.get("method")), Duration.ofSeconds(30));
        assertThat(line).containsEntry("verdict", "DENY").containsEntry("status", 403L);
        assertThat(origin.requests()).hasSize(before);
    }

    @Test
    void anH2cUpgradeReachesTheOriginAsAPlainRequest() throws Exception {
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", ca.pem().toString(),
                "-H", "Connection: Upgrade, HTTP2-Settings", "-H", "Upgrade: h2c",
                "-H", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA", "https://ws.example.test/h2c");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("plain GET /h2c");
        RecordingOrigin.Recorded seen = origin.requests().stream()
                .filter(x -> x.uri().equals("/h2c")).findFirst().orElseThrow();
        assertThat(seen.header("Upgrade")).isNull();
        assertThat(seen.header("HTTP2-Settings")).isNull();
    }
}
