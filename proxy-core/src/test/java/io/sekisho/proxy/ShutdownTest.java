package io.sekisho.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Graceful shutdown: idle connections close, an exchange in flight finishes, the audit is flushed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest {

    @Test
    void anExchangeInFlightFinishesWhileIdleConnectionsCloseAndTheAuditIsFlushed() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin()) {
            ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("origin.test", origin.port())
                    .build(), TestPolicy.allowing("origin.test"));
            try (RawClient idle = new RawClient(proxy.port())) {
                CompletableFuture<Curl.Result> slow = CompletableFuture.supplyAsync(
                        () -> Curl.viaProxy(proxy.url(), "http://origin.test/delay/1500"));
                origin.awaitRequest(1);

                proxy.server().shutdown(Duration.ofSeconds(10));

                Curl.Result r = slow.get(20, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("delayed 1500");
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(idle.closedByPeer(1000)).isTrue();
                // shutdown() returned after the audit writer flushed: no waiting here.
                assertThat(proxy.audit().all()).anySatisfy(l -> assertThat(l).containsEntry("path", "/delay/1500"));
            }
        }
    }
}
