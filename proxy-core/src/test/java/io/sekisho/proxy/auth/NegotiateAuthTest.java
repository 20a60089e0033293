package io.sekisho.proxy.auth;

import static io.sekisho.proxy.testing.ProxyUsers.ALICE;
import static io.sekisho.proxy.testing.ProxyUsers.ALICE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.e2e.secrets.LogSecretScanner;
import io.sekisho.e2e.aws.SekishoForAws;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.Kdc;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.ProxyUsers;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.Slapd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code auth.negotiate} against a real MIT KDC started by the test ({@link Kdc}): kinit, then the
 * real curl with {@code --proxy-negotiate -U :} for absolute-form requests, a plain tunnel and an
 * intercepted HTTPS request; both schemes offered at once; malformed, oversized, replayed and
 * foreign tokens; a keytab without the proxy's key.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NegotiateAuthTest {
    @TempDir
    static Path tmp;
    static Kdc kdc;

    @BeforeAll
    static void startKdc() {
        assumeTrue(Kdc.available(), "MIT Kerberos (krb5-kdc, krb5-admin-server, krb5-user) is not installed");
        kdc = Kdc.start(tmp.resolve("kdc"));
        kdc.kinit("alice");
        kdc.kinit("bob");
    }

    @AfterAll
    static void stopKdc() {
        if (kdc != null) {
            kdc.close();
        }
    }

    private static String negotiate(Path keytab, String principal) {
        return "  negotiate:\n    keytab: \"" + keytab + "\"\n"
                + (principal.isEmpty() ? "" : "    principal: \"" + principal + "\"\n");
    }

    private ProxyFixture start(RecordingOrigin origin, String auth) {
        String yaml = "version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "domains:\n  allow:\n    - a.test\nports:\n  connect: [" + origin.port() + "]\n"
                + "  http: [" + origin.port() + "]\n"
                + "upstream:\n  resolve:\n    \"a.test\": \"127.0.0.1:" + origin.port() + "\"\n"
                + "limits:\n  maxHeaderBytes: 131072\n  maxPendingHeadBytes: 1048576\n" + auth;
        LoadResult r = ConfigLoader.parse(yaml, "negotiate.yaml");
        assertThat(r.errors()).isEmpty();
        SekishoConfig c = r.config();
        return ProxyFixture.start(c, Wiring.DEFAULT.policyFor(c));
    }

    private ProxyFixture startNegotiate(RecordingOrigin origin) {
        return start(origin, "auth:\n  schemes: [negotiate]\n" + negotiate(kdc.serviceKeytab(), Kdc.SERVICE));
    }

    @Test
    void curlWithATicketPassesAbsoluteFormAndATunnelAndTheTokenStopsAtTheProxy() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = startNegotiate(origin)) {
            Curl.Result get = NegotiateClients.curl(kdc, "alice", proxy.port(), "http://a.test:" + origin.port() + "/get");
            assertThat(get.status()).as(get.stderr()).isEqualTo(200);
            // Two requests on one kept-alive connection: curl sends a fresh token with each.
            Curl.Result two = NegotiateClients.curl(kdc, "alice", proxy.port(), "http://a.test:" + origin.port() + "/one",
                    "http://a.test:" + origin.port() + "/two");
            assertThat(two.body()).contains("GET /one", "GET /two");
            Curl.Result tunnel = NegotiateClients.curl(kdc, "bob", proxy.port(), "-p",
                    "http://a.test:" + origin.port() + "/in-tunnel");
            assertThat(tunnel.status()).as(tunnel.stderr()).isEqualTo(200);

            assertThat(origin.awaitRequest(4)).isNotNull();
            assertThat(origin.requests()).allSatisfy(r -> assertThat(r.header("Proxy-Authorization")).isNull());
            assertThat(proxy.audit().await("GET", "a.test")).containsEntry("verdict", "ALLOW")
                    .containsEntry("user", ALICE).containsEntry("groups", List.of())
                    .containsEntry("authScheme", "negotiate");
            assertThat(proxy.audit().await("CONNECT", "a.test")).containsEntry("verdict", "ALLOW")
                    .containsEntry("user", "bob").containsEntry("authScheme", "negotiate");
        }
    }

    @Test
    void anInterceptedHttpsRequestCarriesTheUserOfItsConnect() throws Exception {
        try (SekishoForAws sekisho = SekishoForAws.start(tmp.resolve("aws"),
                "auth:\n  schemes: [negotiate]\n" + negotiate(kdc.serviceKeytab(), ""), "")) {
            Curl.Result r = NegotiateClients.curl(kdc, "alice", sekisho.port(), "--cacert", sekisho.caPem().toString(),
                    "https://sts.us-east-1.amazonaws.com/");
            assertThat(r.exitCode()).as(r.stderr()).isZero();

            Map<String, Object> connect = sekisho.proxy().audit().await("CONNECT", "sts.us-east-1.amazonaws.com");
            assertThat(connect).containsEntry("user", ALICE).containsEntry("authScheme", "negotiate");
            Map<String, Object> inner = sekisho.proxy().audit().await("GET", "sts.us-east-1.amazonaws.com");
            assertThat(inner).containsEntry("user", ALICE).containsEntry("authScheme", "negotiate");
            assertThat(sekisho.origin().requests()).allSatisfy(q -> assertThat(q.header("Proxy-Authorization")).isEmpty());
        }
    }

    @Test
    void bothSchemesAreOfferedOneChallengeEachAndEitherPasses() throws Exception {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("both-htpasswd"));
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = start(origin,
                "auth:\n  schemes: [negotiate, basic]\n  realm: \"Corp proxy\"\n  basic:\n    htpasswd: \"" + htpasswd
                        + "\"\n" + negotiate(kdc.serviceKeytab(), Kdc.SERVICE));
                RawClient c = new RawClient(proxy.port())) {
            String head = c.send("GET http://a.test:" + origin.port() + "/ HTTP/1.1\r\nHost: a.test\r\n\r\n").readHead();
            assertThat(head).startsWith("HTTP/1.1 407 ");
            assertThat(head.lines().filter(l -> l.startsWith("Proxy-Authenticate: ")).toList())
                    .containsExactly("Proxy-Authenticate: Negotiate",
                            "Proxy-Authenticate: Basic realm=\"Corp proxy\", charset=\"UTF-8\"");

            String url = "http://a.test:" + origin.port() + "/";
            assertThat(NegotiateClients.curl(kdc, "alice", proxy.port(), url).status()).isEqualTo(200);
            assertThat(Curl.viaProxy(proxy.url(), "-U", "bob:" + ProxyUsers.BOB_PASSWORD, url).status()).isEqualTo(200);
            assertThat(proxy.audit().await(l -> "bob".equals(l.get("user")), Duration.ofSeconds(10)))
                    .containsEntry("authScheme", "basic");
            assertThat(proxy.audit().await(l -> ALICE.equals(l.get("user")), Duration.ofSeconds(10)))
                    .containsEntry("authScheme", "negotiate");
        }
    }

    /**
     * The after-suite secret scan (SecretScanAfterSuite) proves no log of the suite holds a
     * Negotiate token; this proves it would see one of the tokens curl really sends, with or
     * without the header around it, and that the proxy's log of this exchange holds none.
     */
    @Test
    void theSecretScanRecognisesARealTokenAndTheProxyLogsNone() throws Exception {
        String value = NegotiateClients.captureToken(kdc, "alice");
        String bare = value.substring("Negotiate ".length());
        LogSecretScanner scanner = LogSecretScanner.forCorpus();
        for (String line : List.of("Proxy-Authorization: " + value, "{\"t\":\"" + bare + "\"}", "token " + bare)) {
            assertThat(scanner.scanLines(Path.of("planted.log"), List.of(line))).as("a real token").hasSize(1);
        }
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = startNegotiate(origin)) {
            assertThat(send(proxy, origin, value)).startsWith("HTTP/1.1 200 ");
            assertThat(send(proxy, origin, value)).startsWith("HTTP/1.1 407 ");
            proxy.audit().await(l -> "AUTH_FAILED".equals(l.get("reason")), Duration.ofSeconds(10));
            assertThat(Files.readString(proxy.dir().resolve("audit.jsonl"))).doesNotContain(bare.substring(0, 40));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not base64          | AUTH_MALFORMED",
        "empty               | AUTH_MALFORMED",
        "oversized           | AUTH_MALFORMED",
        "truncated spnego    | AUTH_MALFORMED",
        "not a gss token     | AUTH_MALFORMED",
        "basic               | AUTH_SCHEME_UNSUPPORTED",
        "ntlm                | AUTH_SCHEME_UNSUPPORTED",
        "replayed            | AUTH_FAILED"})
    void badTokensAre407WithTheirOwnReason(String kind, String reason) throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = startNegotiate(origin)) {
            String value = value(kind);
            if (kind.equals("replayed")) {
                assertThat(send(proxy, origin, value)).startsWith("HTTP/1.1 200 ");
            }
            String head = send(proxy, origin, value);

            assertThat(head).startsWith("HTTP/1.1 407 ").contains("X-Sekisho-Reason: " + reason)
                    .contains("Proxy-Authenticate: Negotiate");
            assertThat(proxy.audit().await(l -> reason.equals(l.get("reason")), Duration.ofSeconds(10)))
                    .containsEntry("user", "").containsEntry("method", "GET");
            assertThat(origin.requests()).hasSize(kind.equals("replayed") ? 1 : 0);
        }
    }

    private static String send(ProxyFixture proxy, RecordingOrigin origin, String value) throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            return c.send("GET http://a.test:" + origin.port() + "/ HTTP/1.1\r\nHost: a.test\r\n"
                    + "Proxy-Authorization: " + value + "\r\nConnection: close\r\n\r\n").readHead();
        }
    }

    private static String value(String kind) {
        switch (kind) {
            case "not base64": return "Negotiate !!not*base64";
            case "empty": return "Negotiate";
            case "oversized": return "Negotiate " + "YIIB".repeat(17_000);
            case "truncated spnego": return "Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXegDTALBgkqhkiG9xIBAgI=";
            case "not a gss token": return "Negotiate " + java.util.Base64.getEncoder()
                    .encodeToString("hello, proxy".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            case "basic": return "Basic " + ProxyUsers.basicToken(ALICE, ALICE_PASSWORD);
            case "ntlm": return "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==";
            case "replayed": return NegotiateClients.captureToken(kdc, "alice");
            default: throw new IllegalArgumentException(kind);
        }
    }

    /**
     * With {@code auth.basic.ldap} set, a Kerberos user's groups come from the directory (alice is
     * in two); a directory that cannot answer denies, as for Basic.
     */
    @Test
    void withADirectoryTheKerberosUserGetsTheirGroups() throws Exception {
        assumeTrue(Slapd.available(), "slapd is not installed");
        Path secret = Files.writeString(tmp.resolve("ldap-password"), Slapd.SERVICE_PASSWORD + "\n");
        try (Slapd ldap = Slapd.start(tmp.resolve("ldap")); RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = start(origin, "auth:\n  schemes: [negotiate]\n  basic:\n    ldap:\n"
                        + "      url: \"" + ldap.url() + "\"\n      bindDn: \"" + Slapd.SERVICE_DN + "\"\n"
                        + "      password: {file: \"" + secret + "\"}\n      userBase: \"ou=people," + Slapd.SUFFIX + "\"\n"
                        + "      groupBase: \"ou=groups," + Slapd.SUFFIX + "\"\n      timeout: 2s\n"
                        + negotiate(kdc.serviceKeytab(), Kdc.SERVICE))) {
            String url = "http://a.test:" + origin.port() + "/";
            assertThat(NegotiateClients.curl(kdc, "alice", proxy.port(), url).status()).isEqualTo(200);
            assertThat(proxy.audit().await(l -> ALICE.equals(l.get("user")), Duration.ofSeconds(10)))
                    .containsEntry("groups", List.of("aws-admins", "developers")).containsEntry("authScheme", "negotiate");
            ldap.stop();

            Curl.Result down = NegotiateClients.curl(kdc, "bob", proxy.port(), url);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.header("X-Sekisho-Reason")).isEqualTo("AUTH_BACKEND_UNAVAILABLE");
        }
    }

    /**
     * Negotiate is connection-oriented in practice (Squid, IIS): once a connection has proved
     * who it is, a request on it without a token keeps that identity, as browsers expect.
     * A request with another token is checked afresh.
     */
    @Test
    void aConnectionThatNegotiatedKeepsItsUserForRequestsWithoutAToken() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = startNegotiate(origin);
                RawClient c = new RawClient(proxy.port())) {
            String get = "GET http://a.test:" + origin.port() + "/%s HTTP/1.1\r\nHost: a.test\r\n%s\r\n";
            String first = c.send(String.format(get, "first", "Proxy-Authorization: "
                    + NegotiateClients.captureToken(kdc, "alice") + "\r\n")).readHead();
            assertThat(first).startsWith("HTTP/1.1 200 ");
            c.readExactly(contentLength(first));
            String second = c.send(String.format(get, "second", "")).readHead();
            assertThat(second).startsWith("HTTP/1.1 200 ");
            c.readExactly(contentLength(second));
            String third = c.send(String.format(get, "third", "Proxy-Authorization: Negotiate !!\r\n")).readHead();
            assertThat(third).startsWith("HTTP/1.1 407 ");

            assertThat(proxy.audit().await(l -> "/second".equals(l.get("path")), Duration.ofSeconds(10)))
                    .containsEntry("user", ALICE).containsEntry("authScheme", "negotiate");
        }
    }

    private static int contentLength(String head) {
        return head.lines().filter(l -> l.regionMatches(true, 0, "content-length:", 0, 15))
                .mapToInt(l -> Integer.parseInt(l.substring(15).strip())).findFirst().orElseThrow();
    }

    /** Another service's keytab, with the proxy's principal named (no such key) or not (a key that does not fit). */
    @ParameterizedTest
    @CsvSource({"''", "HTTP/localhost@SEKISHO.TEST"})
    void aKeytabWithoutTheProxysKeyDeniesWithItsOwnReason(String principal) throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = start(origin,
                "auth:\n  schemes: [negotiate]\n" + negotiate(kdc.otherKeytab(), principal))) {
            Curl.Result r = NegotiateClients.curl(kdc, "alice", proxy.port(), "http://a.test:" + origin.port() + "/");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("X-Sekisho-Reason")).isEqualTo("AUTH_KERBEROS_KEY_UNAVAILABLE");
            assertThat(origin.requests()).isEmpty();
        }
    }

    @Test
    void aKeytabRemovedWhileRunningDeniesWithItsOwnReason() throws Exception {
        Path keytab = Files.copy(kdc.serviceKeytab(), tmp.resolve("removed.keytab"));
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = start(origin,
                "auth:\n  schemes: [negotiate]\n" + negotiate(keytab, Kdc.SERVICE))) {
            String url = "http://a.test:" + origin.port() + "/";
            assertThat(NegotiateClients.curl(kdc, "alice", proxy.port(), url).status()).isEqualTo(200);
            Files.delete(keytab);

            Curl.Result r = NegotiateClients.curl(kdc, "alice", proxy.port(), url);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("X-Sekisho-Reason")).isEqualTo("AUTH_KERBEROS_KEY_UNAVAILABLE");
        }
    }
}
