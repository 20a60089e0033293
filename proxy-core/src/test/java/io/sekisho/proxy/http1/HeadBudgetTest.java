package io.sekisho.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.limits.HeadBudget;
import io.sekisho.proxy.testing.Await;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code limits.maxPendingHeadBytes} with real sockets: partial heads parked up to the budget
 * hold it; the next one that would go over gets 431 and is closed; the parked ones still
 * complete and are served, and the budget is whole again afterwards. (The pad stays under the
 * origin's own 8 KiB header limit.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeadBudgetTest {
    private static final int BUDGET = 64 * 1024;
    private static final String PARTIAL = "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\nX-Pad: " + "p".repeat(6_000);

    @Test
    void partialHeadsBeyondTheBudgetAreRefusedAndTheOthersAreServed() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("a.test", origin.port())
                        .limits(16 * 1024, 64, 2048).maxPendingHeadBytes(BUDGET).build(),
                        TestPolicy.allowing("a.test"))) {
            HeadBudget budget = proxy.server().services().limits().headBudget();
            List<RawClient> parked = new ArrayList<>();
            try {
                for (int i = 0; i < BUDGET / PARTIAL.length(); i++) {
                    parked.add(new RawClient(proxy.port()).send(PARTIAL));
                }
                long held = (long) parked.size() * PARTIAL.length();
                Await.until(() -> budget.charged() == held, Duration.ofSeconds(10));

                try (RawClient over = new RawClient(proxy.port())) {
                    String head = over.send(PARTIAL).readHead();
                    assertThat(head).startsWith("HTTP/1.1 431 ").contains("X-Sekisho-Reason: PENDING_HEADS_LIMIT");
                    assertThat(over.closedByPeer(5000)).isTrue();
                }
                Map<String, Object> line = proxy.audit().await(l -> "PENDING_HEADS_LIMIT".equals(l.get("reason")),
                        Duration.ofSeconds(10));
                assertThat(line).containsEntry("verdict", "DENY").containsEntry("rule", "limits.maxPendingHeadBytes");
                assertThat(budget.charged()).isEqualTo(held);

                for (RawClient c : parked) {
                    assertThat(c.send("\r\n\r\n").readHead()).startsWith("HTTP/1.1 200 ");
                }
                assertThat(budget.charged()).isZero();
                try (RawClient fresh = new RawClient(proxy.port())) {
                    assertThat(fresh.send(PARTIAL + "\r\n\r\n").readHead()).startsWith("HTTP/1.1 200 ");
                }
            } finally {
                for (RawClient c : parked) {
                    c.close();
                }
            }
            Await.until(() -> budget.charged() == 0, Duration.ofSeconds(10));
            assertThat(proxy.audit().all()).as("one line for the refusal, none for the cut head")
                    .noneMatch(l -> "BAD_REQUEST".equals(l.get("reason")));
        }
    }
}
