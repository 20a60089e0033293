package io.sekisho.proxy.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.SekishoConfig;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code curl --http2} through an intercepting Sekisho (tls.http2 on by default): ALPN picks h2,
 * each stream is decided by the policy and audited on its own line, request bodies reach the
 * origin whole (flow control), denied streams get the block response; with tls.http2 false
 * the same curl speaks HTTP/1.1.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class Http2CurlTest {
    private static final String S3 = "s3.us-east-1.amazonaws.com";

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static ProxyCa ca;
    static ProxyFixture proxy;
    static ProxyFixture h1Only;

    @BeforeAll
    static void start() {
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        proxy = ProxyFixture.start(TestConfigs.builder()
                .resolve(".amazonaws.com", origin.httpsPort())
                .interceptWith(ca.pem(), ca.key())
                .trust(originPki.caPem())
                .build(), TestPolicy.allowing("*").intercepting(true)
                        .denyRequestsWhere(f -> f.path().startsWith("/denied")));
        h1Only = ProxyFixture.start(TestConfigs.builder()
                .resolve(".amazonaws.com", origin.httpsPort())
                .tls(new SekishoConfig.Tls(ca.pem(), ca.key(), null, null, "ec-p256", Duration.ofDays(7), 1000, false))
                .trust(originPki.caPem())
                .build(), TestPolicy.allowing("*").intercepting(true));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        h1Only.close();
        origin.close();
    }

    @Test
    void eachStreamIsDecidedAndAuditedOnItsOwnLine() {
        String url = "https://" + S3 + "/sekisho-test-bucket/h2-";
        Curl.Result r = Curl.viaProxy(proxy.url(), "-v", "--http2", "--cacert", ca.pem().toString(),
                url + "a", url + "b");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("ALPN: server accepted h2").contains("using HTTP/2")
                .contains("Re-using existing connection");
        assertThat(origin.requestsTo(S3)).extracting(RecordedRequest::path)
                .contains("/sekisho-test-bucket/h2-a", "/sekisho-test-bucket/h2-b");
        for (String p : List.of("a", "b")) {
            Map<String, Object> line = proxy.audit().await(l -> ("/sekisho-test-bucket/h2-" + p).equals(l.get("path")),
                    Duration.ofSeconds(10));
            assertThat(line).containsEntry("method", "GET").containsEntry("verdict", "ALLOW")
                    .containsEntry("tlsVersion", "TLSv1.3");
        }
    }

    @Test
    void theOriginSeesAnHttp11RequestWithoutHttp2Artefacts() {
        origin.clearRequests();
        Curl.Result r = Curl.viaProxy(proxy.url(), "--http2", "--cacert", ca.pem().toString(),
                "-H", "x-http2-stream-id: 77", "https://" + S3 + "/sekisho-test-bucket/plain");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        RecordedRequest got = origin.lastRequest().orElseThrow();
        assertThat(got.protocol()).isEqualTo("HTTP/1.1");
        assertThat(got.headers("host")).containsExactly(S3);
        assertThat(got.headerNames()).noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT).startsWith("x-http2-"));
    }

    @Test
    void aLargeRequestBodyReachesTheOriginWholeThroughFlowControl() throws Exception {
        origin.clearRequests();
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        Path file = tmp.resolve("body.bin");
        Files.write(file, body);
        Curl.Result r = Curl.viaProxy(proxy.url(), "--http2", "--cacert", ca.pem().toString(),
                "-X", "PUT", "--data-binary", "@" + file, "https://" + S3 + "/sekisho-test-bucket/big.bin");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        RecordedRequest got = origin.requestsTo(S3).stream().filter(q -> q.path().endsWith("big.bin"))
                .findFirst().orElseThrow();
        assertThat(got.header("content-length")).hasValue(Integer.toString(body.length));
        assertThat(got.body()).isEqualTo(body);
    }

    @Test
    void aDeniedStreamGetsTheBlockResponseAndTheConnectionGoesOn() {
        String base = "https://" + S3;
        Curl.Result r = Curl.viaProxy(proxy.url(), "-v", "--http2", "--cacert", ca.pem().toString(),
                base + "/denied/x", base + "/sekisho-test-bucket/after-deny");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("HTTP/2 403").contains("x-sekisho-reason");
        assertThat(proxy.audit().await(l -> "/denied/x".equals(l.get("path")), Duration.ofSeconds(10)))
                .containsEntry("verdict", "DENY");
        assertThat(proxy.audit().await(l -> "/sekisho-test-bucket/after-deny".equals(l.get("path")),
                Duration.ofSeconds(10))).containsEntry("verdict", "ALLOW");
    }

    @Test
    void withHttp2SwitchedOffTheSameCurlSpeaksHttp11() {
        Curl.Result r = Curl.viaProxy(h1Only.url(), "-v", "--http2", "--cacert", ca.pem().toString(),
                "https://" + S3 + "/sekisho-test-bucket/h1");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("ALPN: server accepted http/1.1").doesNotContain("using HTTP/2");
    }
}
