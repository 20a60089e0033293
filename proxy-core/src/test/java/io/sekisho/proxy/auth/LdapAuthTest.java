package io.sekisho.proxy.auth;

import static io.sekisho.proxy.testing.ProxyUsers.ALICE;
import static io.sekisho.proxy.testing.ProxyUsers.ALICE_PASSWORD;
import static io.sekisho.proxy.testing.ProxyUsers.BOB;
import static io.sekisho.proxy.testing.ProxyUsers.BOB_PASSWORD;
import static io.sekisho.proxy.testing.ProxyUsers.WRONG_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.Await;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.Slapd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth.basic.ldap} against a real OpenLDAP slapd started by the test: a user search as
 * the service account, a bind as the user, the user's groups (alice is in two), escaped filters,
 * and a directory stopped mid-run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LdapAuthTest {
    @TempDir
    Path tmp;

    private ProxyFixture start(RecordingOrigin origin, Slapd ldap) throws Exception {
        Path secret = Files.writeString(tmp.resolve("ldap-password"), Slapd.SERVICE_PASSWORD + "\n");
        String yaml = "version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "domains:\n  allow:\n    - a.test\nports:\n  http: [" + origin.port() + "]\n"
                + "upstream:\n  resolve:\n    \"a.test\": \"127.0.0.1:" + origin.port() + "\"\n"
                + "auth:\n  schemes: [basic]\n  basic:\n    ldap:\n      url: \"" + ldap.url() + "\"\n"
                + "      bindDn: \"" + Slapd.SERVICE_DN + "\"\n      password: {file: \"" + secret + "\"}\n"
                + "      userBase: \"ou=people," + Slapd.SUFFIX + "\"\n      userFilter: \"(uid={user})\"\n"
                + "      groupBase: \"ou=groups," + Slapd.SUFFIX + "\"\n      groupFilter: \"(member={dn})\"\n"
                + "      timeout: 2s\n";
        LoadResult r = ConfigLoader.parse(yaml, "ldap.yaml");
        assertThat(r.errors()).isEmpty();
        SekishoConfig c = r.config();
        return ProxyFixture.start(c, Wiring.DEFAULT.policyFor(c));
    }

    private static Curl.Result get(ProxyFixture proxy, RecordingOrigin origin, String user, String password) {
        return Curl.viaProxy(proxy.url(), "-U", user + ":" + password, "http://a.test:" + origin.port() + "/");
    }

    @Test
    void usersSignInWithTheirDirectoryPasswordAndCarryTheirGroups() throws Exception {
        assumeTrue(Slapd.available(), "slapd is not installed");
        try (Slapd ldap = Slapd.start(tmp.resolve("ldap")); RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = start(origin, ldap)) {
            assertThat(get(proxy, origin, ALICE, ALICE_PASSWORD).status()).isEqualTo(200);
            assertThat(get(proxy, origin, BOB, BOB_PASSWORD).status()).isEqualTo(200);

            Map<String, Object> alice = proxy.audit().await(l -> ALICE.equals(l.get("user")), Duration.ofSeconds(10));
            assertThat(alice).containsEntry("groups", List.of("aws-admins", "developers"))
                    .containsEntry("authScheme", "basic").containsEntry("verdict", "ALLOW");
            Map<String, Object> bob = proxy.audit().await(l -> BOB.equals(l.get("user")), Duration.ofSeconds(10));
            assertThat(bob).containsEntry("groups", List.of("developers"));
        }
    }

    @Test
    void wrongPasswordsUnknownUsersEmptyPasswordsAndFilterInjectionAreRefused() throws Exception {
        assumeTrue(Slapd.available(), "slapd is not installed");
        try (Slapd ldap = Slapd.start(tmp.resolve("ldap")); RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = start(origin, ldap)) {
            assertThat(get(proxy, origin, ALICE, WRONG_PASSWORD).status()).isEqualTo(407);
            assertThat(get(proxy, origin, "mallory", ALICE_PASSWORD).status()).isEqualTo(407);
            // An LDAP bind without a password is an anonymous bind, and succeeds: never try one.
            assertThat(get(proxy, origin, ALICE, "").status()).isEqualTo(407);
            // Unescaped, these would match alice (or everyone) and bind as her with her password.
            assertThat(get(proxy, origin, "*", ALICE_PASSWORD).status()).isEqualTo(407);
            assertThat(get(proxy, origin, "al*", ALICE_PASSWORD).status()).isEqualTo(407);
            assertThat(get(proxy, origin, "x)(uid=alice", ALICE_PASSWORD).status()).isEqualTo(407);
            assertThat(get(proxy, origin, "alice)(|(uid=*", ALICE_PASSWORD).status()).isEqualTo(407);
            Await.until(() -> proxy.audit().all().stream().filter(l -> "AUTH_FAILED".equals(l.get("reason"))).count()
                    == 7, Duration.ofSeconds(10));
            assertThat(origin.requests()).isEmpty();
        }
    }

    @Test
    void aDirectoryStoppedMidRunDeniesWithItsOwnReasonWhileCachedUsersPass() throws Exception {
        assumeTrue(Slapd.available(), "slapd is not installed");
        try (Slapd ldap = Slapd.start(tmp.resolve("ldap")); RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = start(origin, ldap)) {
            assertThat(get(proxy, origin, ALICE, ALICE_PASSWORD).status()).isEqualTo(200);
            ldap.stop();

            Curl.Result down = get(proxy, origin, BOB, BOB_PASSWORD);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.header("X-Sekisho-Reason")).isEqualTo("AUTH_BACKEND_UNAVAILABLE");
            assertThat(get(proxy, origin, ALICE, ALICE_PASSWORD).status()).isEqualTo(200);
        }
    }
}
