package io.sekisho.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy with the real config loader and decision engine, as {@code sekisho run} wires them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealEngineTest {

    @Test
    void aYamlConfigDrivesAllowDenyPortsAndResolveOverrides() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin()) {
            LoadResult r = ConfigLoader.parse(""
                    + "version: 1\n"
                    + "listen: \"127.0.0.1:0\"\n"
                    + "mode: enforce\n"
                    + "audit:\n"
                    + "  file: \"-\"\n"
                    + "domains:\n"
                    + "  allow:\n"
                    + "    - .example.test\n"
                    + "  deny:\n"
                    + "    - secret.example.test\n"
                    + "upstream:\n"
                    + "  resolve:\n"
                    + "    \".example.test\": \"127.0.0.1:" + origin.port() + "\"\n", "test.yaml");
            assertThat(r.problems()).isEmpty();
            SekishoConfig config = r.config();
            try (ProxyFixture proxy = ProxyFixture.start(config, Wiring.DEFAULT.policyFor(config))) {
                assertThat(Curl.viaProxy(proxy.url(), "http://www.example.test/ok").status()).isEqualTo(200);

                Curl.Result denied = Curl.viaProxy(proxy.url(), "http://secret.example.test/");
                assertThat(denied.status()).isEqualTo(403);
                assertThat(denied.header("X-Sekisho-Reason")).isEqualTo("DOMAIN_DENIED");

                Curl.Result notListed = Curl.viaProxy(proxy.url(), "http://other.test/");
                assertThat(notListed.header("X-Sekisho-Reason")).isEqualTo("DOMAIN_NOT_ALLOWED");

                try (RawClient c = new RawClient(proxy.port())) {
                    // ports.connect defaults to 443 only.
                    assertThat(c.send("CONNECT www.example.test:22 HTTP/1.1\r\n\r\n").readHead())
                            .startsWith("HTTP/1.1 403").contains("X-Sekisho-Reason: PORT_NOT_ALLOWED");
                }
                assertThat(origin.requests()).hasSize(1);
                assertThat(proxy.audit().await("GET", "www.example.test"))
                        .containsEntry("rule", ".example.test").containsEntry("verdict", "ALLOW");
            }
        }
    }
}
