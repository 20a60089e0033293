package io.sekisho.proxy.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slowloris: clients that hold a connection by sending a request a byte at a time. Each byte
 * resets an idle timer, so only a deadline on the whole head (timeouts.requestHeader) or body
 * (timeouts.requestBody) ends them, and other clients must be served meanwhile.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowlorisTest {
    private static final Duration HEADER_DEADLINE = Duration.ofMillis(800);
    private static final int SLOW_CLIENTS = 20;
    private static final long TRICKLE_MILLIS = 50;

    private RecordingOrigin origin;

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new RecordingOrigin();
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @Test
    void headsTrickledByteByByteGet408AtTheHeaderDeadlineWhileOtherClientsAreServed() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("origin.test", origin.port())
                .requestHeaderTimeout(HEADER_DEADLINE).idleTimeout(Duration.ofSeconds(20)).build(),
                TestPolicy.allowing("origin.test"))) {
            // 400 bytes at one per 50 ms would take 20 s: far past the deadline, never idle.
            byte[] head = ("GET http://origin.test/slow HTTP/1.1\r\nHost: origin.test\r\nX-Pad: "
                    + "p".repeat(330) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            List<Trickled> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(new Trickled(new RawClient(proxy.port()), head));
            }
            try {
                assertThat(trickleUntilAnswered(slow, proxy))
                        .as("another client was served while all slow heads were open").isTrue();
                for (Trickled t : slow) {
                    assertThat(t.answered()).as("408 within 10 s").isTrue();
                    // The deadline counts from accept: the trickle did not push it back.
                    assertThat(t.answeredAfterMillis()).isBetween(HEADER_DEADLINE.toMillis() - 100, 4_000L);
                    assertThat(t.client.readHead()).startsWith("HTTP/1.1 408 ")
                            .contains("X-Sekisho-Reason: REQUEST_HEADER_TIMEOUT\r\n");
                    assertThat(t.client.closedByPeer(5000)).isTrue();
                }
            } finally {
                for (Trickled t : slow) {
                    t.client.close();
                }
            }
            assertThat(Curl.viaProxy(proxy.url(), "http://origin.test/after").status()).isEqualTo(200);
            assertThat(Probes.until(() -> Probes.count(proxy.audit(), "REQUEST_HEADER_TIMEOUT") == SLOW_CLIENTS))
                    .as("one audit line per slow client").isTrue();
        }
        assertThat(origin.requests()).extracting(RecordingOrigin.Recorded::uri)
                .doesNotContain("/slow").contains("/meanwhile", "/after");
    }

    /**
     * Sends each slow client one more byte every {@link #TRICKLE_MILLIS} until all were answered
     * (10 s at most), with one ordinary request through the proxy during the first round.
     *
     * @return whether that request was served while no slow client had been answered yet
     */
    private static boolean trickleUntilAnswered(List<Trickled> slow, ProxyFixture proxy) throws Exception {
        boolean servedMeanwhile = false;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean first = true;
        while (slow.stream().anyMatch(t -> !t.answered()) && System.nanoTime() < end) {
            for (Trickled t : slow) {
                t.step();
            }
            if (first) {
                assertThat(Curl.viaProxy(proxy.url(), "http://origin.test/meanwhile").status()).isEqualTo(200);
                servedMeanwhile = slow.stream().noneMatch(Trickled::answered);
                first = false;
            }
            Thread.sleep(TRICKLE_MILLIS);
        }
        return servedMeanwhile;
    }

    /**
     * The same trickle on a request body, which timeouts.requestBody bounds (the rate check,
     * limits.minRequestBodyRate, has a 10 s window by default and does not come first here).
     */
    @Test
    void aBodyTrickledByteByByteIsCutAtTheBodyDeadlineWhileOtherClientsAreServed() throws Exception {
        LoadResult config = ConfigLoader.parse(""
                + "version: 1\n"
                + "listen: \"127.0.0.1:0\"\n"
                + "mode: enforce\n"
                + "audit: {file: \"-\"}\n"
                + "domains: {allow: [origin.test]}\n"
                + "upstream: {resolve: {origin.test: \"127.0.0.1:" + origin.port() + "\"}}\n"
                + "timeouts: {requestHeader: 5s, idle: 20s, requestBody: 1s}\n", "slow-body.yaml");
        assertThat(config.errors()).isEmpty();
        try (ProxyFixture proxy = ProxyFixture.start(config.config(), Wiring.DEFAULT.policyFor(config.config()));
                RawClient c = new RawClient(proxy.port())) {
            c.send("POST http://origin.test/slow-body HTTP/1.1\r\nHost: origin.test\r\nContent-Length: 400\r\n\r\n");
            long start = System.nanoTime();
            int sent = 0;
            boolean servedMeanwhile = false;
            while (sent < 400 && c.in().available() == 0 && !Probes.sendFails(c, "b")) {
                sent++;
                if (sent == 5) {
                    servedMeanwhile = Curl.viaProxy(proxy.url(), "http://origin.test/meanwhile").status() == 200;
                }
                Thread.sleep(TRICKLE_MILLIS);
            }
            long cutAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(sent).as("cut before the body was complete").isLessThan(400);
            assertThat(cutAfter).isBetween(900L, 5_000L);
            assertThat(servedMeanwhile).isTrue();
            String head = c.readHead();
            assertThat(head).startsWith("HTTP/1.1 408 ").contains("X-Sekisho-Reason: REQUEST_BODY_TIMEOUT\r\n");
            assertThat(c.closedByPeer(5000)).isTrue();
            assertThat(proxy.audit().await("POST", "origin.test")).containsEntry("verdict", "DENY")
                    .containsEntry("reason", "REQUEST_BODY_TIMEOUT");
        }
        assertThat(origin.requests()).filteredOn(r -> r.uri().equals("/slow-body"))
                .allSatisfy(r -> assertThat(r.complete()).isFalse());
    }

    /** One slow client: one more byte of its head per step, until the proxy answers or closes. */
    private static final class Trickled {
        final RawClient client;
        private final byte[] head;
        private final long opened = System.nanoTime();
        private int sent;
        private long answeredAt;

        Trickled(RawClient client, byte[] head) {
            this.client = client;
            this.head = head;
        }

        void step() throws IOException {
            if (answered()) {
                return;
            }
            // Checked before every byte: writing after the proxy closed would draw a reset
            // that can discard its 408 before it is read.
            if (client.in().available() > 0 || sent == head.length || Probes.sendFails(client, new String(head, sent, 1,
                    StandardCharsets.US_ASCII))) {
                answeredAt = System.nanoTime();
                return;
            }
            sent++;
        }

        boolean answered() {
            return answeredAt != 0;
        }

        long answeredAfterMillis() {
            return TimeUnit.NANOSECONDS.toMillis(answeredAt - opened);
        }
    }
}
