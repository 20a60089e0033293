package io.sekisho.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl through an intercepting Sekisho: it trusts only the proxy's CA, the proxy trusts the
 * origin's test CA through upstream.trustedCertificates, and the origin sees the request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterceptedCurlTest {
    private static final String S3 = "s3.us-east-1.amazonaws.com";

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static ProxyCa ca;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() {
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        proxy = ProxyFixture.start(TestConfigs.builder()
                .resolve(".amazonaws.com", origin.httpsPort())
                .interceptWith(ca.pem(), ca.key())
                .trust(originPki.caPem())
                .build(), TestPolicy.allowing("*").intercepting(true));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void curlTrustingOnlyTheProxyCaReachesTheOriginThroughTheInterception() {
        origin.clearRequests();
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", ca.pem().toString(),
                "https://" + S3 + "/sekisho-test-bucket/hello.txt");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        RecordedRequest got = origin.lastRequest().orElseThrow();
        assertThat(got.host()).isEqualTo(S3);
        assertThat(got.path()).isEqualTo("/sekisho-test-bucket/hello.txt");
        Map<String, Object> line = proxy.audit().await("GET", S3);
        assertThat(line).containsEntry("verdict", "ALLOW").containsEntry("path", "/sekisho-test-bucket/hello.txt");
        assertThat(proxy.audit().await("CONNECT", S3)).containsEntry("verdict", "ALLOW");
    }

    @Test
    void keepAliveRequestsShareOneInterceptedConnection() {
        String url = "https://" + S3 + "/sekisho-test-bucket/k";
        Curl.Result r = Curl.viaProxy(proxy.url(), "-v", "--cacert", ca.pem().toString(), url + "1", url + "2", url + "3");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("Re-using existing connection");
    }
}
