package io.sekisho.proxy.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.HeadlessChromium;
import io.sekisho.e2e.PageResult;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headless Chromium loads an intercepted page through Sekisho and says (Navigation Timing's
 * nextHopProtocol) that it spoke h2 to the proxy; the page's request has its audit line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Http2ChromiumTest {
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
    void chromiumLoadsAnInterceptedPageOverHttp2() {
        HeadlessChromium.assumeAvailable();
        try (HeadlessChromium browser = HeadlessChromium.builder(tmp.resolve("browser")).trustCa(ca.pem())
                .proxy(proxy.port()).launch()) {
            PageResult page = browser.open("https://" + S3 + "/sekisho-test-bucket/page-h2");
            assertThat(page.loaded()).isTrue();

            assertThat(browser.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol"))
                    .isEqualTo("h2");
        }
        assertThat(proxy.audit().await(l -> "/sekisho-test-bucket/page-h2".equals(l.get("path")),
                Duration.ofSeconds(10))).containsEntry("verdict", "ALLOW").containsEntry("tlsVersion", "TLSv1.3");
    }
}
