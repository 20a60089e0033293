package io.sekisho.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 5: {@code tls.interceptExclude} tunnels a host that interception would cover. A
 * pinned client (curl that trusts only the origin's CA) reaches an excluded host through the
 * real proxy and engine; the same client is refused by its neighbour, which is intercepted, and
 * {@code check} warned about the entry that covers AWS hosts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterceptExcludeTest {
    @TempDir
    static Path tmp;
    static RecordingOrigin origin;
    static TestPki originPki;
    static ProxyFixture proxy;
    static LoadResult loaded;

    @BeforeAll
    static void start() throws Exception {
        originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = new RecordingOrigin(originPki.leaf("pinned.s3.amazonaws.com", "other.s3.amazonaws.com")
                .serverContext());
        ProxyCa ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        String yaml = "version: 1\nlisten: \"127.0.0.1:0\"\n"
                + "domains:\n  allow: [.amazonaws.com]\n"
                + "tls:\n  ca:\n    certificate: \"" + ca.pem() + "\"\n    privateKey: \"" + ca.key() + "\"\n"
                + "  interceptExclude: [pinned.s3.amazonaws.com]\n"
                + "aws:\n  accounts:\n    allow: [\"111122223333\"]\n"
                + "upstream:\n  trustedCertificates: [\"" + originPki.caPem() + "\"]\n"
                + "  resolve:\n    \".amazonaws.com\": \"127.0.0.1:" + origin.port() + "\"\n";
        loaded = ConfigLoader.load(Files.writeString(tmp.resolve("sekisho.yaml"), yaml));
        assertThat(loaded.errors()).isEmpty();
        SekishoConfig config = loaded.config();
        proxy = ProxyFixture.start(config, Wiring.DEFAULT.policyFor(config));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        origin.close();
    }

    @Test
    void aPinnedClientReachesTheExcludedHostThroughATunnel() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", originPki.caPem().toString(),
                "https://pinned.s3.amazonaws.com/pinned");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok GET /pinned");
        Map<String, Object> connect = proxy.audit().await(l -> "CONNECT".equals(l.get("method"))
                && "pinned.s3.amazonaws.com".equals(l.get("host")), Duration.ofSeconds(30));
        assertThat(connect).containsEntry("verdict", "ALLOW");
        assertThat(((Number) connect.get("bytesDown")).longValue()).as("a tunnel's bytes").isPositive();
        assertThat(connect).doesNotContainKey("tlsVersion");
        assertThat(loaded.warnings()).as("an exact AWS API host is warned about")
                .anySatisfy(w -> assertThat(w.toString()).contains("tls.interceptExclude[0]"));
    }

    @Test
    void itsNeighbourIsStillIntercepted() {
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", originPki.caPem().toString(),
                "https://other.s3.amazonaws.com/other");

        assertThat(r.status()).as("the proxy's leaf is not the origin's: a pinned client refuses it").isZero();
        assertThat(origin.requests()).noneMatch(x -> x.uri().equals("/other"));
    }
}
