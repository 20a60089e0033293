package io.sekisho.proxy.connect;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.e2e.AwsCli;
import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.CommandResult;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.JavaSdk;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.ProxyFixture;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS CLI (Python: its CONNECT is HTTP/1.0, no headers) and the AWS SDK for Java through
 * Sekisho's plain tunnels to the fake AWS origin, with the real config loader and engine. TLS is
 * end to end (no interception yet), so the clients trust the origin's test CA.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AwsClientsThroughTunnelTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static FakeAwsOrigin origin;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() {
        pki = TestPki.create(tmp.resolve("pki"));
        origin = FakeAwsOrigin.start(pki);
        StringBuilder yaml = new StringBuilder("version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "domains:\n  allow:\n    - .amazonaws.com\nupstream:\n  resolve:\n");
        for (Map.Entry<String, String> e : origin.resolvePatterns().entrySet()) {
            yaml.append("    \"").append(e.getKey()).append("\": \"").append(e.getValue()).append("\"\n");
        }
        LoadResult r = ConfigLoader.parse(yaml.toString(), "clients.yaml");
        assertThat(r.errors()).isEmpty();
        proxy = ProxyFixture.start(r.config(), Wiring.DEFAULT.policyFor(r.config()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void theAwsCliTunnelsThroughSekisho() {
        assumeTrue(AwsCli.available(), "the AWS CLI (aws) is not on PATH");
        AwsCli cli = AwsCli.viaProxy(tmp.resolve("cli"), pki.caPem(), proxy.port())
                .identity(AwsIdentities.longTerm(CORPORATE));

        CommandResult identity = cli.run("sts", "get-caller-identity");

        assertThat(identity.succeeded()).as(identity.describe()).isTrue();
        assertThat(identity.stdout()).contains(CORPORATE);
        assertThat(proxy.audit().await(l -> "CONNECT".equals(l.get("method"))
                && String.valueOf(l.get("host")).startsWith("sts."), java.time.Duration.ofSeconds(10)))
                .containsEntry("verdict", "ALLOW").containsEntry("rule", ".amazonaws.com");
    }

    @Test
    void theJavaSdkTunnelsThroughSekisho() {
        try (JavaSdk sdk = JavaSdk.viaProxy(proxy.port(), pki.caCertificate());
                StsClient sts = sdk.sts(AwsIdentities.longTerm(CORPORATE), Region.EU_WEST_1)) {
            assertThat(sts.getCallerIdentity().account()).isEqualTo(CORPORATE);
        }
        assertThat(proxy.audit().await("CONNECT", "sts.eu-west-1.amazonaws.com")).containsEntry("verdict", "ALLOW");
    }
}
