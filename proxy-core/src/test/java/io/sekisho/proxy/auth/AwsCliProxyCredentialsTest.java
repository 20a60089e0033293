package io.sekisho.proxy.auth;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.proxy.testing.ProxyUsers.ALICE;
import static io.sekisho.proxy.testing.ProxyUsers.ALICE_PASSWORD;
import static io.sekisho.proxy.testing.ProxyUsers.WRONG_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.e2e.AwsCli;
import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.CommandResult;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.ProxyUsers;
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
 * The real AWS CLI with its proxy credentials in the proxy URL
 * ({@code HTTPS_PROXY=http://user:password@host:port}), as docs/authentication.md tells users to
 * set it: its CONNECT carries Basic credentials, the tunnel's audit line names the user, and a
 * wrong password ends the call with a 407 (AUTH_FAILED in the audit line) before any AWS request
 * leaves.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AwsCliProxyCredentialsTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static FakeAwsOrigin origin;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() {
        pki = TestPki.create(tmp.resolve("pki"));
        origin = FakeAwsOrigin.start(pki);
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        StringBuilder yaml = new StringBuilder("version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "auth:\n  schemes: [basic]\n  basic:\n    htpasswd: \"" + htpasswd + "\"\n"
                + "domains:\n  allow:\n    - .amazonaws.com\nupstream:\n  resolve:\n");
        for (Map.Entry<String, String> e : origin.resolvePatterns().entrySet()) {
            yaml.append("    \"").append(e.getKey()).append("\": \"").append(e.getValue()).append("\"\n");
        }
        LoadResult r = ConfigLoader.parse(yaml.toString(), "auth-aws.yaml");
        assertThat(r.errors()).isEmpty();
        proxy = ProxyFixture.start(r.config(), Wiring.DEFAULT.policyFor(r.config()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    private static AwsCli cli(String dir, String password) {
        String url = "http://" + ALICE + ":" + password + "@127.0.0.1:" + proxy.port();
        return AwsCli.viaProxy(tmp.resolve(dir), pki.caPem(), proxy.port()).env("HTTPS_PROXY", url)
                .env("HTTP_PROXY", url).identity(AwsIdentities.longTerm(CORPORATE));
    }

    @Test
    void theAwsCliSendsItsProxyCredentialsAndTheTunnelNamesTheUser() {
        assumeTrue(AwsCli.available() || "true".equals(System.getenv("CI")), "the AWS CLI (aws) is not on PATH");
        CommandResult identity = cli("ok", ALICE_PASSWORD).run("sts", "get-caller-identity");

        assertThat(identity.succeeded()).as("exit %d", identity.exitCode()).isTrue();
        assertThat(identity.stdout()).contains(CORPORATE);
        assertThat(proxy.audit().await(l -> "CONNECT".equals(l.get("method")) && ALICE.equals(l.get("user")),
                Duration.ofSeconds(10))).containsEntry("verdict", "ALLOW").containsEntry("authScheme", "basic");
    }

    @Test
    void aWrongProxyPasswordStopsTheCallAt407() {
        assumeTrue(AwsCli.available() || "true".equals(System.getenv("CI")), "the AWS CLI (aws) is not on PATH");
        CommandResult r = cli("wrong", WRONG_PASSWORD).run("sts", "get-caller-identity");

        assertThat(r.succeeded()).isFalse();
        // botocore reports the refused CONNECT without the status, and masks the credentials itself.
        assertThat(r.stderr()).contains("Failed to connect to proxy URL").doesNotContain(WRONG_PASSWORD);
        assertThat(proxy.audit().await(l -> "AUTH_FAILED".equals(l.get("reason")), Duration.ofSeconds(10)))
                .containsEntry("method", "CONNECT").containsEntry("user", "");
    }
}
