package io.sekisho.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ClientAccess;
import io.sekisho.policy.domain.DomainPattern;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code clients.allow} with real sockets: a client outside the listed networks is closed before
 * a byte is read and audited as CLIENT_NOT_ALLOWED; a listed one is served. Clients are told
 * apart by binding to 127.0.0.1 and 127.0.0.2.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientNetworksTest {
    private static final String REQUEST = "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n";

    @Test
    void aClientOutsideTheListIsClosedUnreadAndAudited() throws Exception {
        ClientAccess onlyOne = new ClientAccess(List.of(DomainPattern.parse("127.0.0.1/32")), null);
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("a.test", origin.port())
                        .access(onlyOne).build(), TestPolicy.allowing("a.test"))) {
            try (RawClient outsider = new RawClient(proxy.port(), InetAddress.getByName("127.0.0.2"))) {
                assertThat(outsider.closedByPeer(5000)).isTrue();
            }
            Map<String, Object> line = proxy.audit().await(l -> "CLIENT_NOT_ALLOWED".equals(l.get("reason")),
                    Duration.ofSeconds(10));
            assertThat(line).containsEntry("verdict", "DENY").containsEntry("rule", "clients.allow")
                    .containsEntry("method", "").containsEntry("host", "");
            assertThat((String) line.get("client")).startsWith("127.0.0.2:");
            assertThat(origin.requests()).isEmpty();

            try (RawClient member = new RawClient(proxy.port(), InetAddress.getByName("127.0.0.1"))) {
                assertThat(member.send(REQUEST).readHead()).startsWith("HTTP/1.1 200 ");
            }
        }
    }

    @Test
    void theDefaultAdmitsLoopbackOnly() throws Exception {
        assertThat(ClientAccess.loopbackOnly().clientsAllow()).extracting(DomainPattern::canonical)
                .containsExactly("127.0.0.0/8", "::1/128");
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("a.test", origin.port())
                        .build(), TestPolicy.allowing("a.test"));
                RawClient c = new RawClient(proxy.port(), InetAddress.getByName("127.0.0.5"))) {
            assertThat(c.send(REQUEST).readHead()).startsWith("HTTP/1.1 200 ");
        }
    }
}
