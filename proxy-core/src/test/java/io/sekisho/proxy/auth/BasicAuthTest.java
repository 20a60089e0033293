package io.sekisho.proxy.auth;

import static io.sekisho.proxy.testing.ProxyUsers.ALICE;
import static io.sekisho.proxy.testing.ProxyUsers.ALICE_PASSWORD;
import static io.sekisho.proxy.testing.ProxyUsers.BOB;
import static io.sekisho.proxy.testing.ProxyUsers.BOB_PASSWORD;
import static io.sekisho.proxy.testing.ProxyUsers.CAROL;
import static io.sekisho.proxy.testing.ProxyUsers.CAROL_PASSWORD;
import static io.sekisho.proxy.testing.ProxyUsers.WRONG_PASSWORD;
import static io.sekisho.proxy.testing.ProxyUsers.basicToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.ProxyUsers;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code auth: {schemes: [basic]}} with an htpasswd file of bcrypt entries, the real config
 * loader and engine, real sockets and the real curl: who may pass, what a refusal looks like
 * (status, reason, challenge, audit line), that the credentials never travel upstream, and that
 * verified credentials are cached while failures are throttled.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BasicAuthTest {
    @TempDir
    Path tmp;

    private SekishoConfig config(RecordingOrigin origin, Path htpasswd, String extra) {
        String yaml = "version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "domains:\n  allow:\n    - a.test\nports:\n  connect: [" + origin.port() + "]\n"
                + "  http: [" + origin.port() + "]\n"
                + "upstream:\n  resolve:\n    \"a.test\": \"127.0.0.1:" + origin.port() + "\"\n"
                + "auth:\n  schemes: [basic]\n  realm: \"Corp proxy\"\n  basic:\n    htpasswd: \"" + htpasswd + "\"\n"
                + extra;
        LoadResult r = ConfigLoader.parse(yaml, "auth.yaml");
        assertThat(r.errors()).isEmpty();
        return r.config();
    }

    private ProxyFixture start(RecordingOrigin origin, Path htpasswd, String extra) {
        SekishoConfig c = config(origin, htpasswd, extra);
        return ProxyFixture.start(c, Wiring.DEFAULT.policyFor(c));
    }

    @Test
    void curlWithTheRightPasswordPassesAndTheCredentialsStopAtTheProxy() throws Exception {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = start(origin, htpasswd, "")) {
            String url = "http://a.test:" + origin.port() + "/hello";
            Curl.Result ok = Curl.viaProxy(proxy.url(), "-U", ALICE + ":" + ALICE_PASSWORD, url);

            assertThat(ok.status()).as(ok.stderr()).isEqualTo(200);
            assertThat(origin.awaitRequest(1).header("Proxy-Authorization")).isNull();
            Map<String, Object> line = proxy.audit().await("GET", "a.test");
            assertThat(line).containsEntry("verdict", "ALLOW").containsEntry("user", ALICE)
                    .containsEntry("authScheme", "basic").containsEntry("groups", List.of());
        }
    }

    @Test
    void aConnectAuthenticatesOnceAndItsTunnelCarriesTheUser() throws Exception {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = start(origin, htpasswd, "")) {
            // -p: CONNECT a.test:port, then HTTP inside the tunnel (no TLS needed to prove the point).
            Curl.Result ok = Curl.viaProxy(proxy.url(), "-p", "-U", BOB + ":" + BOB_PASSWORD,
                    "http://a.test:" + origin.port() + "/in-tunnel");

            assertThat(ok.status()).as(ok.stderr()).isEqualTo(200);
            assertThat(origin.awaitRequest(1).header("Proxy-Authorization")).isNull();
            Map<String, Object> line = proxy.audit().await("CONNECT", "a.test");
            assertThat(line).containsEntry("verdict", "ALLOW").containsEntry("user", BOB)
                    .containsEntry("authScheme", "basic");
        }
    }

    @Test
    void theBlockPageOfARefusedConnectNamesTheUserToo() throws Exception {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        ProxyCa ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        try (RecordingOrigin origin = new RecordingOrigin()) {
            SekishoConfig c = config(origin, htpasswd, "tls:\n  ca:\n    certificate: \"" + ca.pem()
                    + "\"\n    privateKey: \"" + ca.key() + "\"\n");
            try (ProxyFixture proxy = ProxyFixture.start(c, Wiring.DEFAULT.policyFor(c), new FakeResolver(),
                    b -> b.blocks(BlockResponses.standard("")))) {
                // A browser's CONNECT to a denied site: the page is served behind TLS (bump-to-deny).
                Curl.Result page = Curl.viaProxy(proxy.url(), "-U", ALICE + ":" + ALICE_PASSWORD, "--cacert",
                        ca.pem().toString(), "--proxy-header", "User-Agent: Mozilla/5.0 Chrome/120.0",
                        "-H", "Accept: text/html", "https://denied.test/x");

                assertThat(page.status()).isEqualTo(403);
                assertThat(page.body()).contains("Blocked by Sekisho")
                        .contains("<dt>User</dt><dd><code>alice</code></dd>");
            }
        }
    }

    @Test
    void theBlockPageNamesTheUser() throws Exception {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        try (RecordingOrigin origin = new RecordingOrigin()) {
            SekishoConfig c = config(origin, htpasswd, "");
            try (ProxyFixture proxy = ProxyFixture.start(c, Wiring.DEFAULT.policyFor(c), new FakeResolver(),
                    b -> b.blocks(BlockResponses.standard("")))) {
                Curl.Result page = Curl.viaProxy(proxy.url(), "-U", ALICE + ":" + ALICE_PASSWORD,
                        "-H", "Accept: text/html", "http://b.test:" + origin.port() + "/");

                assertThat(page.status()).isEqualTo(403);
                assertThat(page.body()).contains("<dt>User</dt><dd><code>alice</code></dd>");
                assertThat(proxy.audit().await("GET", "b.test")).containsEntry("reason", "DOMAIN_NOT_ALLOWED")
                        .containsEntry("user", ALICE);
            }
        }
    }

    @Test
    void withoutCredentialsTheAnswerIs407WithOneChallengePerScheme() throws Exception {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = start(origin, htpasswd, "")) {
            for (String[] args : List.of(new String[] {"http://a.test:" + origin.port() + "/"},
                    new String[] {"-p", "http://a.test:" + origin.port() + "/"})) {
                Curl.Result r = Curl.viaProxy(proxy.url(), args);
                assertThat(r.stderr()).contains("407");
                assertThat(r.stderr()).contains("Proxy-Authenticate: Basic realm=\"Corp proxy\", charset=\"UTF-8\"");
                assertThat(r.stderr()).contains("X-Sekisho-Reason: AUTH_REQUIRED");
            }
            assertThat(proxy.audit().await("CONNECT", "a.test")).containsEntry("reason", "AUTH_REQUIRED")
                    .containsEntry("user", "").containsEntry("port", (long) origin.port());
            assertThat(proxy.audit().await("GET", "a.test")).containsEntry("reason", "AUTH_REQUIRED");
            assertThat(origin.requests()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wrong password      | AUTH_FAILED",
        "unknown user        | AUTH_FAILED",
        "md5 entry           | AUTH_FAILED",
        "bad base64          | AUTH_MALFORMED",
        "no colon            | AUTH_MALFORMED",
        "oversized           | AUTH_MALFORMED",
        "two headers         | AUTH_MALFORMED",
        "control character   | AUTH_MALFORMED",
        "empty user          | AUTH_MALFORMED",
        "negotiate           | AUTH_SCHEME_UNSUPPORTED",
        "digest              | AUTH_SCHEME_UNSUPPORTED"})
    void badCredentialsAre407WithTheirOwnReason(String kind, String reason) throws Exception {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = start(origin, htpasswd, "");
                RawClient c = new RawClient(proxy.port())) {
            String head = c.send("GET http://a.test:" + origin.port() + "/ HTTP/1.1\r\nHost: a.test\r\n"
                    + header(kind) + "\r\n").readHead();

            assertThat(head).startsWith("HTTP/1.1 407 ").contains("X-Sekisho-Reason: " + reason)
                    .contains("Proxy-Authenticate: Basic realm=\"Corp proxy\"");
            assertThat(c.closedByPeer(5000)).isTrue();
            assertThat(proxy.audit().await(l -> reason.equals(l.get("reason")), Duration.ofSeconds(10)))
                    .containsEntry("user", "").containsEntry("method", "GET");
            assertThat(origin.requests()).isEmpty();
        }
    }

    private static String header(String kind) {
        String p = "Proxy-Authorization: ";
        switch (kind) {
            case "wrong password": return p + "Basic " + basicToken(ALICE, WRONG_PASSWORD) + "\r\n";
            case "unknown user": return p + "Basic " + basicToken("mallory", ALICE_PASSWORD) + "\r\n";
            case "md5 entry": return p + "Basic " + basicToken(CAROL, CAROL_PASSWORD) + "\r\n";
            case "bad base64": return p + "Basic !!not*base64\r\n";
            case "no colon": return p + "Basic " + java.util.Base64.getEncoder().encodeToString("alice".getBytes()) + "\r\n";
            case "oversized": return p + "Basic " + "QUFB".repeat(1100) + "\r\n";
            case "two headers": return p + "Basic " + basicToken(ALICE, ALICE_PASSWORD) + "\r\n"
                    + p + "Basic " + basicToken(BOB, BOB_PASSWORD) + "\r\n";
            case "control character": return p + "Basic " + basicToken("al\u0001ice", ALICE_PASSWORD) + "\r\n";
            case "empty user": return p + "Basic " + basicToken("", ALICE_PASSWORD) + "\r\n";
            case "negotiate": return p + "Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXegDTALBgkqhkiG9xIBAgI=\r\n";
            case "digest": return p + "Digest username=\"alice\", realm=\"Corp proxy\"\r\n";
            default: throw new IllegalArgumentException(kind);
        }
    }

    @Test
    void failuresAreThrottledPerUserAndACachedSignInStillPasses() throws Exception {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = start(origin, htpasswd, "  maxFailuresPerMinute: 3\n")) {
            String url = "http://a.test:" + origin.port() + "/";
            assertThat(Curl.viaProxy(proxy.url(), "-U", BOB + ":" + BOB_PASSWORD, url).status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                assertThat(Curl.viaProxy(proxy.url(), "-U", ALICE + ":" + WRONG_PASSWORD, url).status()).isEqualTo(407);
            }
            // The right password now meets the throttle for alice (and for this address, which all tests share)…
            Curl.Result throttled = Curl.viaProxy(proxy.url(), "-U", ALICE + ":" + ALICE_PASSWORD, url);
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.header("X-Sekisho-Reason")).isEqualTo("AUTH_THROTTLED");
            assertThat(throttled.header("Proxy-Authenticate")).isNull();
            // …but bob, verified before, is answered from the cache and not locked out.
            assertThat(Curl.viaProxy(proxy.url(), "-U", BOB + ":" + BOB_PASSWORD, url).status()).isEqualTo(200);
        }
    }

    @Test
    void anUnreadableStoreDeniesWithItsOwnReasonWhileCachedUsersPass() throws Exception {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        try (RecordingOrigin origin = new RecordingOrigin(); ProxyFixture proxy = start(origin, htpasswd, "")) {
            String url = "http://a.test:" + origin.port() + "/";
            assertThat(Curl.viaProxy(proxy.url(), "-U", ALICE + ":" + ALICE_PASSWORD, url).status()).isEqualTo(200);
            Files.delete(htpasswd);

            Curl.Result down = Curl.viaProxy(proxy.url(), "-U", BOB + ":" + BOB_PASSWORD, url);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.header("X-Sekisho-Reason")).isEqualTo("AUTH_BACKEND_UNAVAILABLE");
            assertThat(Curl.viaProxy(proxy.url(), "-U", ALICE + ":" + ALICE_PASSWORD, url).status()).isEqualTo(200);
        }
    }

    @Test
    void aUserAddedToTheFileCanSignInWithoutAReload() throws Exception {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = start(origin, htpasswd, "  cache:\n    negativeTtl: 0s\n")) {
            String url = "http://a.test:" + origin.port() + "/";
            assertThat(Curl.viaProxy(proxy.url(), "-U", "dave:" + BOB_PASSWORD, url).status()).isEqualTo(407);
            String line = Files.readAllLines(htpasswd).stream().filter(l -> l.startsWith(BOB + ":")).findFirst()
                    .orElseThrow();
            Files.writeString(htpasswd, "dave" + line.substring(BOB.length()) + "\n",
                    java.nio.file.StandardOpenOption.APPEND);

            assertThat(Curl.viaProxy(proxy.url(), "-U", "dave:" + BOB_PASSWORD, url).status()).isEqualTo(200);
            assertThat(proxy.audit().await(l -> "dave".equals(l.get("user")), Duration.ofSeconds(10)))
                    .containsEntry("verdict", "ALLOW");
        }
    }
}
