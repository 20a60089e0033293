package io.sekisho.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.HeadlessChromium;
import io.sekisho.e2e.PageResult;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A denied CONNECT from a browser is answered Squid's bump-to-deny way (issue 12, point 5): 200,
 * TLS with a leaf minted by the configured CA, and the block page with the reason and the
 * request id; other clients keep the 403 to the CONNECT, and an upstream failure gets a page
 * that does not say "blocked".
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BumpToDenyTest {
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0";

    @TempDir
    static Path tmp;
    static ProxyCa ca;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() {
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        // unresolvable.test is allowed but the resolver knows no address for it: DNS_FAILED.
        // The production block responses: the HTML page for browser navigations.
        proxy = ProxyFixture.start(TestConfigs.builder().interceptWith(ca.pem(), ca.key()).build(),
                TestPolicy.allowing("unresolvable.test"), new FakeResolver(),
                b -> b.blocks(BlockResponses.standard("helpdesk@bank.example")));
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void headlessChromiumShowsTheBlockPageWithReasonAndRequestIdForADeniedHttpsSite() throws Exception {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(HeadlessChromium.available()).as("chromium and certutil, installed by .ci/run").isTrue();
        }
        HeadlessChromium.assumeAvailable();
        Path shot = Files.createDirectories(Path.of("target", "screenshots")).resolve("bump-to-deny.png");
        PageResult page;
        try (HeadlessChromium browser = HeadlessChromium.builder(tmp.resolve("browser")).trustCa(ca.pem())
                .proxy(proxy.port()).launch()) {
            page = browser.openUntil("https://denied.test/some/page", p -> p.text().contains("DOMAIN_NOT_ALLOWED"));
            browser.screenshot(shot);
        }
        assertThat(page.title()).isEqualTo("Blocked by Sekisho");
        assertThat(page.text()).contains("DOMAIN_NOT_ALLOWED").contains("Correlation id");
        Matcher id = Pattern.compile("Correlation id\\s+(\\S+)").matcher(page.text());
        assertThat(id.find()).as(page.text()).isTrue();
        // The id on the page is the CONNECT's audit line: the one a helpdesk looks up.
        Map<String, Object> line = proxy.audit().await(l -> id.group(1).equals(l.get("requestId")),
                Duration.ofSeconds(10));
        assertThat(line).containsEntry("method", "CONNECT").containsEntry("host", "denied.test")
                .containsEntry("verdict", "DENY").containsEntry("reason", "DOMAIN_NOT_ALLOWED")
                .containsEntry("status", 403L);
        assertThat((String) line.get("userAgent")).startsWith("Mozilla/5.0").contains("HeadlessChrome");
        assertThat(shot).isNotEmptyFile();
    }

    @Test
    void aBrowserUserAgentOnTheConnectGetsTheBlockPageBehindTlsMintedByTheCa() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", ca.pem().toString(), "--proxy-header",
                "User-Agent: " + BROWSER, "-H", "Accept: text/html", "https://denied.test/x");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Sekisho-Reason")).isEqualTo("DOMAIN_NOT_ALLOWED");
        assertThat(r.body()).contains("Blocked by Sekisho").contains(r.header("X-Sekisho-Request-Id"));
    }

    @Test
    void otherClientsKeepThe403ToTheConnect() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", ca.pem().toString(), "https://denied.test/x");

        assertThat(r.exitCode()).as("curl: CONNECT tunnel failed").isEqualTo(56);
        assertThat(r.headers()).contains("403").contains("X-Sekisho-Reason: DOMAIN_NOT_ALLOWED");
    }

    @Test
    void anUpstreamFailureGetsItsOwnPageThatDoesNotSayBlocked() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", ca.pem().toString(), "--proxy-header",
                "User-Agent: " + BROWSER, "-H", "Accept: text/html", "https://unresolvable.test/x");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.header("X-Sekisho-Reason")).isEqualTo("DNS_FAILED");
        assertThat(r.body()).contains("Not completed by Sekisho").doesNotContain("Blocked");
    }
}
