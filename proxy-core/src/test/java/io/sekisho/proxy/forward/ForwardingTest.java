package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Absolute-form http:// forwarding through the real proxy, driven by curl. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForwardingTest {
    private RecordingOrigin origin;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        origin = new RecordingOrigin();
        proxy = ProxyFixture.start(TestConfigs.builder().resolve("origin.test", origin.port()).build(),
                TestPolicy.allowing("origin.test"));
    }

    @AfterEach
    void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void allowedRequestIsForwardedInOriginFormWithViaAndWithoutHopByHopHeaders() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "-H", "Connection: keep-alive, X-Hop",
                "-H", "X-Hop: secret-hop", "-H", "Proxy-Authorization: Basic Zm9vOmJhcg==",
                "http://origin.test/hello?token=abc");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok GET /hello?token=abc");
        RecordingOrigin.Recorded got = origin.awaitRequest(1);
        assertThat(got.uri()).isEqualTo("/hello?token=abc");
        assertThat(got.header("Host")).isEqualTo("origin.test");
        assertThat(got.header("Via")).isEqualTo("1.1 sekisho");
        assertThat(got.header("X-Hop")).isNull();
        assertThat(got.header("Proxy-Authorization")).isNull();
        assertThat(got.header("Proxy-Connection")).isNull();
        assertThat(r.header("Via")).isEqualTo("1.1 sekisho");
    }

    @Test
    void deniedRequestGets403WithReasonAndNeverReachesTheOrigin() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "http://elsewhere.test/x");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Sekisho-Reason")).isEqualTo("DOMAIN_NOT_ALLOWED");
        assertThat(r.body()).contains("DOMAIN_NOT_ALLOWED");
        Map<String, Object> line = proxy.audit().await("GET", "elsewhere.test");
        assertThat(line).containsEntry("verdict", "DENY").containsEntry("reason", "DOMAIN_NOT_ALLOWED");
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void keepAliveIsReusedOnBothSides() {
        Curl.Result r = Curl.run(java.util.List.of("curl", "-sS", "--proxy", proxy.url(), "-o", "/dev/null",
                "-w", "%{num_connects}\\n", "http://origin.test/one", "-o", "/dev/null", "http://origin.test/two"));

        assertThat(r.exitCode()).isZero();
        // curl opened one connection to the proxy and reused it for the second request.
        assertThat(r.body().trim().split("\\s+")).containsExactly("1", "0");
        assertThat(origin.awaitRequest(2).connection()).isEqualTo(origin.requests().get(0).connection());
        assertThat(origin.connectionsOpened()).isEqualTo(1);
    }

    @Test
    void chunkedRequestAndChunkedResponseAreStreamedThrough(@TempDir Path dir) throws Exception {
        byte[] body = new byte[300_000];
        new java.util.Random(7).nextBytes(body);
        Path file = dir.resolve("body.bin");
        Files.write(file, body);
        Path received = dir.resolve("back.bin");

        Curl.Result r = Curl.viaProxy(proxy.url(), "-H", "Transfer-Encoding: chunked", "--data-binary",
                "@" + file, "-o", received.toString(), "http://origin.test/echo");

        assertThat(r.status()).isEqualTo(200);
        RecordingOrigin.Recorded got = origin.awaitRequest(1);
        assertThat(got.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(got.bodyLength()).isEqualTo(body.length);
        assertThat(got.body()).isEqualTo(body);
        assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(Files.readAllBytes(received)).isEqualTo(body);
        assertThat(proxy.audit().await("POST", "origin.test")).containsEntry("bytesUp", 300_000L)
                .containsEntry("bytesDown", 300_000L);
    }

    @Test
    void chunkedResponseToAnHttp10ClientIsCloseDelimited() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "--http1.0", "http://origin.test/chunked/5000");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).hasSize(5000);
        assertThat(r.header("Transfer-Encoding")).isNull();
        assertThat(r.header("Connection")).isEqualTo("close");
    }

    @Test
    void headResponseHasNoBodyAndTheConnectionStaysUsable() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "-I", "http://origin.test/large/1000");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo("1000");
        assertThat(origin.awaitRequest(1).method()).isEqualTo("HEAD");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            c.send("GET http://origin.test/delay/300 HTTP/1.1\r\nHost: origin.test\r\n\r\n"
                    + "GET http://origin.test/second HTTP/1.1\r\nHost: origin.test\r\n\r\n");

            assertThat(c.readHead()).startsWith("HTTP/1.1 200").contains("content-length: 11");
            assertThat(new String(c.readExactly(11), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("delayed 300");
            assertThat(c.readHead()).startsWith("HTTP/1.1 200").contains("content-length: 14");
            assertThat(new String(c.readExactly(14), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("ok GET /second");
        }
    }
}
