package io.sekisho.proxy.auth;

import static io.sekisho.proxy.testing.ProxyUsers.ALICE;
import static io.sekisho.proxy.testing.ProxyUsers.ALICE_PASSWORD;
import static io.sekisho.proxy.testing.ProxyUsers.BOB;
import static io.sekisho.proxy.testing.ProxyUsers.BOB_PASSWORD;
import static io.sekisho.proxy.testing.ProxyUsers.CAROL;
import static io.sekisho.proxy.testing.ProxyUsers.CAROL_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.Slapd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-group policies (issue 11 point 5) with groups from a real OpenLDAP slapd: alice is in
 * aws-admins and developers, bob in developers, carol in no group. The first entry in file order
 * that matches decides, one group runs in report mode while another enforces, a user in no group
 * gets the top level, a network entry catches who no group entry caught, and a reload applies to
 * the requests after it. Each audit line names the policy that decided and its mode.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupPoliciesLdapTest {
    private static final String DEVELOPERS = "  - name: developers\n    match: {groups: [developers]}\n"
            + "    domains: {allow: [a.test]}\n";
    private static final String ADMINS = "  - name: admins-rollout\n    match: {groups: [AWS-Admins]}\n"
            + "    mode: report\n    domains: {allow: [a.test]}\n";
    private static final String LOOPBACK = "  - name: loopback-kiosk\n    match: {clients: [127.0.0.0/8]}\n"
            + "    domains: {allow: [a.test]}\n";

    @TempDir
    Path tmp;
    private final Set<Object> seen = new HashSet<>();

    @Test
    void theFirstMatchingEntryDecidesOneGroupReportsAndAReloadAppliesToNewRequests() throws Exception {
        assumeTrue(Slapd.available(), "slapd is not installed");
        try (Slapd ldap = Slapd.start(tmp.resolve("ldap")); RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = start(config(origin, ldap, DEVELOPERS + ADMINS))) {
            assertThat(get(proxy, origin, CAROL, CAROL_PASSWORD, "b.test")).isEqualTo(200);
            assertThat(line(proxy, CAROL, "b.test")).containsEntry("policy", "default").containsEntry("groups", List.of())
                    .containsEntry("mode", "enforce");

            assertThat(get(proxy, origin, BOB, BOB_PASSWORD, "b.test")).isEqualTo(403);
            assertThat(line(proxy, BOB, "b.test")).containsEntry("policy", "developers")
                    .containsEntry("reason", "DOMAIN_NOT_ALLOWED").containsEntry("verdict", "DENY");
            assertThat(get(proxy, origin, BOB, BOB_PASSWORD, "a.test")).isEqualTo(200);
            assertThat(line(proxy, BOB, "a.test")).containsEntry("policy", "developers");

            // alice is in both groups: developers comes first in the file, and enforces.
            assertThat(get(proxy, origin, ALICE, ALICE_PASSWORD, "b.test")).isEqualTo(403);
            assertThat(line(proxy, ALICE, "b.test")).containsEntry("policy", "developers")
                    .containsEntry("groups", List.of("aws-admins", "developers"));

            // The same users after a reload that puts the report-mode entry first and adds a network entry.
            SekishoConfig swapped = config(origin, ldap, ADMINS + DEVELOPERS + LOOPBACK);
            proxy.server().reload(swapped, Wiring.DEFAULT.policyFor(swapped));

            assertThat(get(proxy, origin, ALICE, ALICE_PASSWORD, "b.test")).isEqualTo(200);
            assertThat(line(proxy, ALICE, "b.test")).containsEntry("policy", "admins-rollout")
                    .containsEntry("mode", "report").containsEntry("wouldDeny", true)
                    .containsEntry("reason", "DOMAIN_NOT_ALLOWED").containsEntry("verdict", "ALLOW");
            assertThat(get(proxy, origin, BOB, BOB_PASSWORD, "b.test")).isEqualTo(403);
            assertThat(line(proxy, BOB, "b.test")).containsEntry("policy", "developers")
                    .containsEntry("mode", "enforce");
            assertThat(get(proxy, origin, CAROL, CAROL_PASSWORD, "b.test")).isEqualTo(403);
            assertThat(line(proxy, CAROL, "b.test")).containsEntry("policy", "loopback-kiosk");
        }
    }

    private int get(ProxyFixture proxy, RecordingOrigin origin, String user, String password, String host) {
        return Curl.viaProxy(proxy.url(), "-U", user + ":" + password, "http://" + host + ":" + origin.port() + "/")
                .status();
    }

    /** The next audit line, not read before, of {@code user}'s request to {@code host}. */
    private Map<String, Object> line(ProxyFixture proxy, String user, String host) {
        Map<String, Object> l = proxy.audit().await(m -> user.equals(m.get("user")) && host.equals(m.get("host"))
                && !seen.contains(m.get("requestId")), Duration.ofSeconds(10));
        seen.add(l.get("requestId"));
        return l;
    }

    private static ProxyFixture start(SekishoConfig c) {
        return ProxyFixture.start(c, Wiring.DEFAULT.policyFor(c));
    }

    private SekishoConfig config(RecordingOrigin origin, Slapd ldap, String policies) throws Exception {
        Path secret = Files.writeString(tmp.resolve("ldap-password"), Slapd.SERVICE_PASSWORD + "\n");
        String yaml = "version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "domains:\n  allow: [a.test, b.test]\nports:\n  http: [" + origin.port() + "]\n"
                + "upstream:\n  resolve:\n    \"a.test\": \"127.0.0.1:" + origin.port() + "\"\n"
                + "    \"b.test\": \"127.0.0.1:" + origin.port() + "\"\n"
                + "auth:\n  schemes: [basic]\n  basic:\n    ldap:\n      url: \"" + ldap.url() + "\"\n"
                + "      bindDn: \"" + Slapd.SERVICE_DN + "\"\n      password: {file: \"" + secret + "\"}\n"
                + "      userBase: \"ou=people," + Slapd.SUFFIX + "\"\n      userFilter: \"(uid={user})\"\n"
                + "      groupBase: \"ou=groups," + Slapd.SUFFIX + "\"\n      groupFilter: \"(member={dn})\"\n"
                + "      timeout: 2s\npolicies:\n" + policies;
        LoadResult r = ConfigLoader.parse(yaml, "groups.yaml");
        assertThat(r.errors()).isEmpty();
        return r.config();
    }
}
