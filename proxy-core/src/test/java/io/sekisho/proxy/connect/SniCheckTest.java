package io.sekisho.proxy.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Mode;
import io.sekisho.proxy.testing.ClientHellos;
import io.sekisho.proxy.testing.EchoServer;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SNI peek on plain tunnels: the JDK's real ClientHello goes to an echo server, so an
 * accepted hello comes back byte for byte and a refused one never leaves the proxy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SniCheckTest {
    private EchoServer echo;

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer();
    }

    @AfterEach
    void stop() {
        echo.close();
    }

    private ProxyFixture proxy(Mode mode) {
        return ProxyFixture.start(TestConfigs.builder().mode(mode).resolve("echo.test", echo.port()).build(),
                mode == Mode.REPORT ? TestPolicy.reportMode("echo.test") : TestPolicy.allowing("echo.test"));
    }

    private static RawClient tunnel(ProxyFixture proxy) throws Exception {
        RawClient c = new RawClient(proxy.port());
        assertThat(c.send("CONNECT echo.test:443 HTTP/1.1\r\nHost: echo.test:443\r\n\r\n").readHead())
                .startsWith("HTTP/1.1 200");
        return c;
    }

    @Test
    void clientHelloNamingTheConnectHostPasses() throws Exception {
        byte[] hello = ClientHellos.withSni("Echo.Test");
        try (ProxyFixture proxy = proxy(Mode.ENFORCE); RawClient c = tunnel(proxy)) {
            c.send(hello);
            assertThat(c.readExactly(hello.length)).isEqualTo(hello);
        }
    }

    @Test
    void clientHelloWithoutSniPasses() throws Exception {
        byte[] hello = ClientHellos.withSni(null);
        try (ProxyFixture proxy = proxy(Mode.ENFORCE); RawClient c = tunnel(proxy)) {
            c.send(hello);
            assertThat(c.readExactly(hello.length)).isEqualTo(hello);
        }
    }

    @Test
    void clientHelloNamingAnotherHostIsRefusedWithSniMismatch() throws Exception {
        try (ProxyFixture proxy = proxy(Mode.ENFORCE)) {
            try (RawClient c = tunnel(proxy)) {
                c.send(ClientHellos.withSni("evil.test"));
                assertThat(c.closedByPeer(5000)).isTrue();
            }
            Map<String, Object> line = proxy.audit().await("CONNECT", "echo.test");
            assertThat(line).containsEntry("verdict", "DENY").containsEntry("reason", "SNI_MISMATCH")
                    .containsEntry("bytesDown", 0L);
            assertThat(echo.bytesEchoed()).isZero();
        }
    }

    @Test
    void inReportModeAMismatchIsLetThroughAndAuditedAsWouldDeny() throws Exception {
        byte[] hello = ClientHellos.withSni("evil.test");
        try (ProxyFixture proxy = proxy(Mode.REPORT)) {
            try (RawClient c = tunnel(proxy)) {
                c.send(hello);
                assertThat(c.readExactly(hello.length)).isEqualTo(hello);
            }
            Map<String, Object> line = proxy.audit().await("CONNECT", "echo.test");
            assertThat(line).containsEntry("verdict", "ALLOW").containsEntry("reason", "SNI_MISMATCH")
                    .containsEntry("wouldDeny", true).containsEntry("mode", "report");
        }
    }

    @Test
    void nonTlsBytesAreAllowedInAPlainTunnel() throws Exception {
        try (ProxyFixture proxy = proxy(Mode.ENFORCE); RawClient c = tunnel(proxy)) {
            c.send("SSH-2.0-OpenSSH_9.2\r\n");
            assertThat(new String(c.readExactly(21), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("SSH-2.0-OpenSSH_9.2\r\n");
        }
    }

    @Test
    void anIdleTunnelIsClosedAndAudited() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("echo.test", echo.port())
                .idleTimeout(Duration.ofMillis(300)).build(), TestPolicy.allowing("echo.test"))) {
            try (RawClient c = tunnel(proxy)) {
                assertThat(c.closedByPeer(10_000)).isTrue();
            }
            assertThat(proxy.audit().await("CONNECT", "echo.test")).containsEntry("verdict", "ALLOW");
        }
    }
}
