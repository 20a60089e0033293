package io.sekisho.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.EchoServer;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * upstream.parent: a child Sekisho that knows no route to the origin sends everything through a
 * parent Sekisho that does (CONNECT for tunnels, absolute-form for http).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParentProxyTest {
    private RecordingOrigin origin;
    private EchoServer echo;
    private ProxyFixture parent;
    private ProxyFixture child;

    @BeforeEach
    void start() throws Exception {
        origin = new RecordingOrigin();
        echo = new EchoServer();
        parent = ProxyFixture.start(TestConfigs.builder().resolve("origin.test", origin.port())
                .resolve("echo.test", echo.port()).build(), TestPolicy.allowing("origin.test", "echo.test"));
        child = ProxyFixture.start(TestConfigs.builder().parent(parent.port()).build(),
                TestPolicy.allowing("origin.test", "echo.test"));
    }

    @AfterEach
    void stop() {
        child.close();
        parent.close();
        echo.close();
        origin.close();
    }

    @Test
    void httpGoesToTheParentInAbsoluteForm() {
        Curl.Result r = Curl.viaProxy(child.url(), "http://origin.test/via-parent?q=1");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok GET /via-parent?q=1");
        assertThat(parent.audit().await("GET", "origin.test")).containsEntry("path", "/via-parent");
        assertThat(child.audit().await("GET", "origin.test")).containsEntry("verdict", "ALLOW");
        // Each hop adds its own Via line (RFC 9110 §7.6.3).
        assertThat(origin.awaitRequest(1).headers()).filteredOn(h -> h.getKey().equalsIgnoreCase("Via"))
                .extracting(java.util.Map.Entry::getValue).containsExactly("1.1 sekisho", "1.1 sekisho");
        assertThat(child.resolver().lookups()).isEmpty();
    }

    @Test
    void connectGoesThroughTheParentsTunnel() throws Exception {
        try (RawClient c = new RawClient(child.port())) {
            assertThat(c.send("CONNECT echo.test:443 HTTP/1.1\r\n\r\n").readHead()).startsWith("HTTP/1.1 200");
            c.send("chained");
            assertThat(new String(c.readExactly(7), StandardCharsets.US_ASCII)).isEqualTo("chained");
        }
        assertThat(parent.audit().await("CONNECT", "echo.test")).containsEntry("bytesUp", 7L);
        assertThat(child.audit().await("CONNECT", "echo.test")).containsEntry("bytesDown", 7L);
    }

    @Test
    void aConnectTheParentRefusesIsA502ForTheChildsClient() throws Exception {
        try (ProxyFixture permissive = ProxyFixture.start(TestConfigs.builder().parent(parent.port()).build(),
                TestPolicy.allowing("*"))) {
            try (RawClient c = new RawClient(permissive.port())) {
                String head = c.send("CONNECT unknown.test:443 HTTP/1.1\r\n\r\n").readHead();
                assertThat(head).startsWith("HTTP/1.1 502").contains("X-Sekisho-Reason: UPSTREAM_CONNECT_FAILED");
            }
            assertThat(parent.audit().await("CONNECT", "unknown.test")).containsEntry("reason", "DOMAIN_NOT_ALLOWED");
        }
    }
}
