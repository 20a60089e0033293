package io.sekisho.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.Await;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code limits.maxConnections} and {@code limits.maxConnectionsPerClient} with real sockets:
 * over a cap a new connection is closed unread and audited; connections within it are served;
 * the counts go back to zero when everything is closed. Clients are told apart by binding to
 * 127.0.0.2 and 127.0.0.3.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitTest {
    private static final String REQUEST = "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n";

    @Test
    void overTheTotalCapANewConnectionIsClosedUnreadAndTheOthersAreServed() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("a.test", origin.port())
                        .maxConnections(3, 100).build(), TestPolicy.allowing("a.test"))) {
            ConnectionCounts counts = proxy.server().services().limits().connections();
            List<RawClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(new RawClient(proxy.port()));
                }
                Await.until(() -> counts.total() == 3, Duration.ofSeconds(10));
                try (RawClient refused = new RawClient(proxy.port())) {
                    assertThat(refused.closedByPeer(5000)).isTrue();
                }
                Map<String, Object> line = proxy.audit().await(l -> "CONNECTION_LIMIT".equals(l.get("reason")),
                        Duration.ofSeconds(10));
                assertThat(line).containsEntry("verdict", "DENY").containsEntry("rule", "limits.maxConnections")
                        .containsEntry("method", "");
                assertThat(counts.total()).isEqualTo(3);

                assertThat(open.get(0).send(REQUEST).readHead()).startsWith("HTTP/1.1 200 ");
                open.remove(2).close();
                Await.until(() -> counts.total() == 2, Duration.ofSeconds(10));
                try (RawClient next = new RawClient(proxy.port())) {
                    assertThat(next.send(REQUEST).readHead()).startsWith("HTTP/1.1 200 ");
                }
            } finally {
                for (RawClient c : open) {
                    c.close();
                }
            }
            Await.until(() -> counts.total() == 0 && counts.clients() == 0, Duration.ofSeconds(10));
        }
    }

    @Test
    void overThePerClientCapOnlyThatAddressIsRefused() throws Exception {
        InetAddress first = InetAddress.getByName("127.0.0.2");
        InetAddress second = InetAddress.getByName("127.0.0.3");
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("a.test", origin.port())
                        .maxConnections(100, 2).build(), TestPolicy.allowing("a.test"))) {
            ConnectionCounts counts = proxy.server().services().limits().connections();
            try (RawClient a1 = new RawClient(proxy.port(), first); RawClient a2 = new RawClient(proxy.port(), first);
                    RawClient b1 = new RawClient(proxy.port(), second)) {
                Await.until(() -> counts.of(first) == 2 && counts.of(second) == 1, Duration.ofSeconds(10));
                try (RawClient a3 = new RawClient(proxy.port(), first)) {
                    assertThat(a3.closedByPeer(5000)).isTrue();
                }
                try (RawClient b2 = new RawClient(proxy.port(), second)) {
                    assertThat(b2.send(REQUEST).readHead()).startsWith("HTTP/1.1 200 ");
                }
                assertThat(a1.send(REQUEST).readHead()).startsWith("HTTP/1.1 200 ");
                assertThat(b1.send(REQUEST).readHead()).startsWith("HTTP/1.1 200 ");
                Map<String, Object> line = proxy.audit().await(l -> "CONNECTION_LIMIT".equals(l.get("reason")),
                        Duration.ofSeconds(10));
                assertThat(line).containsEntry("rule", "limits.maxConnectionsPerClient");
                assertThat((String) line.get("client")).startsWith("127.0.0.2:");
                assertThat(counts.of(first)).isEqualTo(2);
            }
            Await.until(() -> counts.total() == 0 && counts.clients() == 0, Duration.ofSeconds(10));
        }
    }
}
