package io.sekisho.proxy.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.BodyNeed;
import io.sekisho.proxy.adversarial.ScriptedOrigin.Script;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Expect: 100-continue} requests whose body never comes (RFC 9110 §10.1.1). Whoever
 * waits for it — the origin, or the proxy that answered 100 itself to read the body for the
 * policy — holds a connection and buffers; timeouts.idle must end it, with an audit line, and
 * bytes sent later on that connection must never be read as a request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExpectContinueWithoutBodyTest {
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final String EXPECTING = "POST http://origin.test/upload HTTP/1.1\r\nHost: origin.test\r\n"
            + "Expect: 100-continue\r\nContent-Length: 1000\r\n\r\n";

    private static ProxyFixture proxyTo(int originPort, TestPolicy policy) {
        return ProxyFixture.start(TestConfigs.builder().resolve("origin.test", originPort).idleTimeout(IDLE)
                .requestHeaderTimeout(Duration.ofSeconds(10)).build(), policy);
    }

    @Test
    void anExpectationPassedToASilentOriginIsClosedAfterTheIdleTimeoutWhileOthersAreServed() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = proxyTo(origin.port(), TestPolicy.allowing("origin.test"));
                RawClient c = new RawClient(proxy.port())) {
            long start = System.nanoTime();
            c.send(EXPECTING);
            assertThat(origin.awaitRequest(1).header("Expect")).isEqualTo("100-continue");
            assertThat(Curl.viaProxy(proxy.url(), "http://origin.test/meanwhile").status()).isEqualTo(200);

            assertThat(c.readToEnd()).as("closed without a 100 or a status").isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .isBetween(IDLE.toMillis(), IDLE.toMillis() + 6_000);
            assertThat(origin.requests().get(0).complete()).isFalse();
            assertThat(proxy.audit().await("POST", "origin.test")).containsEntry("bytesUp", 0L);
            // The meanwhile request's pooled connection may close on its own timer too: name this one.
            int expecting = origin.requests().get(0).connection();
            assertThat(Probes.until(() -> origin.isClosed(expecting))).as("its upstream closed too").isTrue();
        }
    }

    @Test
    void aBodyInvitedByTheProxysOwn100ThatStopsHalfWayNeverReachesTheOrigin() throws Exception {
        TestPolicy policy = TestPolicy.allowing("origin.test").inspectBodies(BodyNeed.whole(4096));
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = proxyTo(origin.port(), policy);
                RawClient c = new RawClient(proxy.port())) {
            assertThat(c.send(EXPECTING).readHead()).startsWith("HTTP/1.1 100 Continue\r\n");
            c.send("x".repeat(10));

            assertThat(c.readToEnd()).isEmpty();
            assertThat(proxy.audit().await("POST", "origin.test")).containsEntry("verdict", "DENY")
                    .containsEntry("reason", "BAD_REQUEST").containsEntry("bytesUp", 0L);
            // Asked once on the headers alone (before the 100), never on half a body.
            assertThat(policy.seen()).singleElement().satisfies(s -> assertThat(s.body()).isNull());
            assertThat(origin.connectionsOpened()).isZero();
        }
    }

    @Test
    void aFinalAnswerToAnExpectationEndsTheConnectionSoLaterBytesAreNeverARequest() throws Exception {
        try (ScriptedOrigin origin = new ScriptedOrigin(Script.FINAL_WITHOUT_CONTINUE);
                ProxyFixture proxy = proxyTo(origin.port(), TestPolicy.allowing("origin.test"));
                RawClient c = new RawClient(proxy.port())) {
            String head = c.send(EXPECTING).readHead();
            assertThat(head).startsWith("HTTP/1.1 200 ");
            assertThat(new String(c.readExactly(2), StandardCharsets.US_ASCII)).isEqualTo("ok");

            // The client skips the body (as RFC 9110 lets it) and sends another request. The proxy
            // still counts 1000 body bytes due, so only closing keeps the two sides in step.
            Probes.sendFails(c, "GET http://origin.test/next HTTP/1.1\r\nHost: origin.test\r\n\r\n"); // may meet the close
            assertThat(c.closedByPeer(5000)).isTrue();
            assertThat(Probes.until(() -> origin.closedByProxy() == 1)).as("the upstream is not parked").isTrue();
            assertThat(origin.heads()).hasSize(1);
            assertThat(origin.bytesAfterHeads()).isZero();
            assertThat(proxy.audit().await("POST", "origin.test")).containsEntry("verdict", "ALLOW");
        }
    }
}
