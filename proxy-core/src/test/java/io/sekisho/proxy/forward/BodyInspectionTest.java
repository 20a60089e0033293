package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.BodyNeed;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The policy sees the body it asks for before anything is sent upstream. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BodyInspectionTest {
    private RecordingOrigin origin;
    private ProxyFixture proxy;
    private TestPolicy policy;

    @BeforeEach
    void start() throws Exception {
        origin = new RecordingOrigin();
        policy = TestPolicy.allowing("origin.test").inspectBodies(BodyNeed.whole(1024))
                .denyRequestsWhere(f -> f.body() != null && TestPolicy.text(f.body()).contains("forbidden"));
        proxy = ProxyFixture.start(TestConfigs.builder().resolve("origin.test", origin.port()).build(), policy);
    }

    @AfterEach
    void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void aBodyThePolicyDeniesNeverReachesTheOrigin() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "--data-binary", "this is forbidden", "http://origin.test/up");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Sekisho-Reason")).isEqualTo("BODY_MALFORMED");
        assertThat(proxy.audit().await("POST", "origin.test")).containsEntry("reason", "BODY_MALFORMED")
                .containsEntry("rule", "test-rule").containsEntry("bytesUp", 0L);
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void anAllowedBodyIsSeenWholeByThePolicyThenForwarded() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "--data-binary", "fine", "http://origin.test/up");

        assertThat(r.status()).isEqualTo(200);
        assertThat(policy.seen()).singleElement().satisfies(s -> {
            assertThat(s.body()).isEqualTo("fine");
            assertThat(s.bodyComplete()).isTrue();
        });
        assertThat(origin.awaitRequest(1).bodyText()).isEqualTo("fine");
    }

    @Test
    void aBodyLongerThanTheLimitIsInspectedTruncatedAndForwardedWhole(@TempDir Path dir) throws Exception {
        byte[] body = "x".repeat(5000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Path file = dir.resolve("b");
        Files.write(file, body);

        Curl.Result r = Curl.viaProxy(proxy.url(), "--data-binary", "@" + file, "http://origin.test/up");

        assertThat(r.status()).isEqualTo(200);
        assertThat(policy.seen()).singleElement().satisfies(s -> {
            assertThat(s.body()).hasSize(1024);
            assertThat(s.bodyComplete()).isFalse();
        });
        assertThat(origin.awaitRequest(1).bodyLength()).isEqualTo(5000);
    }

    @Test
    void expectContinueIsAnsweredByTheProxyWhenItMustReadTheBody() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "-H", "Expect: 100-continue", "--expect100-timeout", "20",
                "--data-binary", "fine", "http://origin.test/up");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).contains("HTTP/1.1 100 Continue");
        assertThat(origin.awaitRequest(1).header("Expect")).isNull();
        assertThat(origin.requests().get(0).bodyText()).isEqualTo("fine");
    }
}
