package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
}
