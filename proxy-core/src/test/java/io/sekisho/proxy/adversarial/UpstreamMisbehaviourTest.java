package io.sekisho.proxy.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.adversarial.ScriptedOrigin.Script;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Origins that hang, reset or half-close: each exchange ends with its status and audit line,
 * the proxy's upstream socket is closed rather than parked or left half-open, and the next
 * client is served. A leaked buffer on any of these paths fails the class (LeakFailExtension).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamMisbehaviourTest {
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);
    private static final int HUNG_CLIENTS = 10;

    private static ProxyFixture proxyTo(int originPort, TestConfigs config) {
        return ProxyFixture.start(config.resolve("origin.test", originPort).build(), TestPolicy.allowing("origin.test"));
    }

    @Test
    void clientsOfAnOriginThatNeverAnswersGet504AfterTheResponseTimeoutWhileOthersAreServed() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(HUNG_CLIENTS);
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = proxyTo(origin.port(), TestConfigs.builder().upstreamResponseTimeout(RESPONSE_TIMEOUT))) {
            List<Future<String>> hung = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < HUNG_CLIENTS; i++) {
                String request = "POST http://origin.test/stall/" + i + " HTTP/1.1\r\nHost: origin.test\r\n"
                        + "Content-Length: 4\r\n\r\nonce";
                hung.add(clients.submit(() -> {
                    try (RawClient c = new RawClient(proxy.port())) {
                        return c.send(request).readHead();
                    }
                }));
            }
            assertThat(Probes.until(() -> origin.requests().size() == HUNG_CLIENTS)).isTrue();
            assertThat(Curl.viaProxy(proxy.url(), "http://origin.test/meanwhile").status()).isEqualTo(200);
            assertThat(hung).as("still waiting while the other client was served").noneMatch(Future::isDone);

            for (Future<String> f : hung) {
                assertThat(f.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 504 ")
                        .contains("X-Sekisho-Reason: UPSTREAM_TIMEOUT\r\n");
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .isBetween(RESPONSE_TIMEOUT.toMillis(), RESPONSE_TIMEOUT.toMillis() + 6_000);
            assertThat(Probes.until(() -> Probes.count(proxy.audit(), "UPSTREAM_TIMEOUT") == HUNG_CLIENTS)).isTrue();
            // Not retried (a POST sent twice is a second upload), and the hung connections are closed.
            assertThat(origin.requests()).filteredOn(r -> r.uri().startsWith("/stall/")).hasSize(HUNG_CLIENTS)
                    .allSatisfy(r -> assertThat(r.bodyText()).isEqualTo("once"));
            assertThat(Probes.until(() -> origin.connectionsClosed() >= HUNG_CLIENTS)).isTrue();
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anOriginResettingMidResponseCutsTheClientOffWithAnAuditLine() throws Exception {
        try (ScriptedOrigin origin = new ScriptedOrigin(Script.RESET_MID_BODY);
                ProxyFixture proxy = proxyTo(origin.port(), TestConfigs.builder())) {
            Curl.Result r = Curl.viaProxy(proxy.url(), "http://origin.test/reset");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.exitCode()).as("curl saw fewer bytes than announced").isIn(18, 56);
            assertThat(r.body().length()).isLessThan(ScriptedOrigin.ANNOUNCED);
            Map<String, Object> line = proxy.audit().await("GET", "origin.test");
            assertThat(line).containsEntry("bytesDown", (long) ScriptedOrigin.SENT_BEFORE_RESET);

            // The reset connection is gone, not parked: the next request opens a new one.
            Curl.viaProxy(proxy.url(), "http://origin.test/reset-again");
            assertThat(origin.heads()).hasSize(2);
            assertThat(origin.connections()).isEqualTo(2);
        }
    }

    @Test
    void anOriginHalfClosingBeforeAnsweringIs502AtOnceAndItsConnectionIsClosed() throws Exception {
        try (ScriptedOrigin origin = new ScriptedOrigin(Script.HALF_CLOSE_BEFORE_ANSWER);
                ProxyFixture proxy = proxyTo(origin.port(), TestConfigs.builder()
                        .upstreamResponseTimeout(Duration.ofSeconds(20)))) {
            long start = System.nanoTime();
            Curl.Result r = Curl.viaProxy(proxy.url(), "http://origin.test/half-close");

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.header("X-Sekisho-Reason")).isEqualTo("UPSTREAM_PROTOCOL_ERROR");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("the FIN ended the wait, not timeouts.upstreamResponse").isLessThan(10_000);
            assertThat(proxy.audit().await("GET", "origin.test")).containsEntry("reason", "UPSTREAM_PROTOCOL_ERROR");
            assertThat(Probes.until(() -> origin.closedByProxy() == 1)).as("no half-open upstream left").isTrue();
        }
    }

    @Test
    void aBodyEndedByTheOriginsHalfCloseReachesTheClientWholeAndTheConnectionIsNotReused() throws Exception {
        try (ScriptedOrigin origin = new ScriptedOrigin(Script.HALF_CLOSE_AFTER_BODY);
                ProxyFixture proxy = proxyTo(origin.port(), TestConfigs.builder())) {
            for (String path : new String[] {"/first", "/second"}) {
                Curl.Result r = Curl.viaProxy(proxy.url(), "http://origin.test" + path);

                assertThat(r.exitCode()).as(r.stderr()).isZero();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("h".repeat(ScriptedOrigin.HALF_CLOSED_BODY));
            }
            assertThat(origin.connections()).as("a close-delimited response ends its connection").isEqualTo(2);
            assertThat(Probes.until(() -> origin.closedByProxy() == 2)).isTrue();
            assertThat(Probes.until(() -> proxy.audit().all().size() == 2)).isTrue();
            assertThat(proxy.audit().all()).allSatisfy(l -> assertThat(l)
                    .containsEntry("verdict", "ALLOW").containsEntry("bytesDown", (long) ScriptedOrigin.HALF_CLOSED_BODY));
        }
    }
}
