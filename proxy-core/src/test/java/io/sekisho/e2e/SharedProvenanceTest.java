package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.ProvenanceGroup.await;
import static io.sekisho.e2e.ProvenanceGroup.consoleThrough;
import static io.sekisho.e2e.ProvenanceGroup.issueThrough;
import static io.sekisho.e2e.ProvenanceGroup.loginThrough;
import static io.sekisho.e2e.ProvenanceGroup.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.e2e.ProvenanceGroup.Instance;
import io.sekisho.proxy.admin.AdminServer;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 points 1-3: two instances share sign-in token provenance through a real
 * {@code redis-server} (with AUTH): a token issued through A logs in through B, once; a token
 * never issued is denied; with the store stopped only the login is denied
 * ({@code PROVENANCE_STORE_UNAVAILABLE}) while other traffic goes on, the admin listener's gauge and
 * /readyz body say so and /readyz stays 200; restarted, it recovers.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedProvenanceTest {
    private static final String REDIS_PASSWORD = RedisServer.TEST_PASSWORD;

    @TempDir
    static Path tmp;
    static RedisServer redis;
    static FakeAwsOrigin origin;
    static Instance a;
    static Instance b;

    @BeforeAll
    static void start() throws Exception {
        RedisServer.require();
        redis = RedisServer.start(tmp.resolve("redis"), "--requirepass", REDIS_PASSWORD);
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        CaInit.Summary ca = new CaInit(Clock.systemUTC(), new SecureRandom())
                .create(tmp.resolve("proxy-ca"), KeyType.EC_P256, "ha e2e");
        Files.writeString(tmp.resolve("token-key"), RedisServer.TEST_TOKEN_KEY + "\n");
        Files.writeString(tmp.resolve("redis-password"), REDIS_PASSWORD + "\n");
        a = instance("a", ca, originPki);
        b = instance("b", ca, originPki);
        await(() -> a.ledger().storeHealthy() && b.ledger().storeHealthy(), "both instances connect to the store");
    }

    private static Instance instance(String name, CaInit.Summary ca, TestPki originPki) throws Exception {
        return ProvenanceGroup.start(tmp, name, ca, origin, originPki,
                "  store: \"redis://127.0.0.1:" + redis.port() + "\"\n"
                + "  tokenKey: {file: token-key}\n  password: {file: redis-password}\n");
    }

    @AfterAll
    static void stop() throws Exception {
        ProvenanceGroup.stop(redis, origin, a, b);
    }

    @Test
    @Order(1)
    void aTokenIssuedThroughAIsAcceptedThroughBOnce() throws Exception {
        ProvenanceGroup.issueThroughLoginThroughOnce(a, b);
        Map<String, Object> allowed = b.audit().await(l -> "login".equals(l.get("action"))
                && "ALLOW".equals(l.get("verdict")), Duration.ofSeconds(10));
        assertThat(allowed).containsEntry("principalAccount", CORPORATE).containsEntry("instance", "sekisho-b");
        assertThat(a.audit().await(l -> "getSigninToken".equals(l.get("action")), Duration.ofSeconds(10)))
                .as("audit lines name the instance").containsEntry("instance", "sekisho-a");
    }

    @Test
    @Order(2)
    void aTokenNeverIssuedIsDenied() {
        assertThat(reasonOf(loginThrough(b, "made-at-home-" + System.nanoTime())))
                .isEqualTo("AWS_SIGNIN_TOKEN_UNKNOWN");
    }

    @Test
    @Order(3)
    void theStoreHoldsKeyedHashesOnly() throws Exception {
        String token = issueThrough(a);

        String keys = redis.command("KEYS *", REDIS_PASSWORD);

        assertThat(keys).contains("sekisho:signin:").doesNotContain(token)
                .doesNotContain(io.sekisho.policy.signin.SigninTokenHash.of(token).hex());
        assertThat(loginThrough(b, token)).startsWith("HTTP/1.1 302");
    }

    @Test
    @Order(4)
    void withTheStoreStoppedOnlySigninIsDeniedAndARestartRecovers() throws Exception {
        String issuedBefore = issueThrough(a);
        try (AdminServer admin = AdminServer.forProxy(new HostPort("127.0.0.1", 0), b.server())) {
            assertThat(adminGet(admin, "/readyz")).isEqualTo("200 ready\nprovenance store: up\n");
            assertThat(adminGet(admin, "/metrics")).contains("\nsekisho_provenance_store_up 1.0\n");
            redis.stop();
            await(() -> !a.ledger().storeHealthy() && !b.ledger().storeHealthy(), "both instances see the store gone");

            assertThat(adminGet(admin, "/readyz")).as("the store alone never makes an instance unready")
                    .startsWith("200 ready\nprovenance store: unreachable").contains("PROVENANCE_STORE_UNAVAILABLE");
            assertThat(adminGet(admin, "/metrics")).contains("\nsekisho_provenance_store_up 0.0\n");
        }

        assertThat(reasonOf(loginThrough(b, issuedBefore))).isEqualTo("PROVENANCE_STORE_UNAVAILABLE");
        assertThat(consoleThrough(b)).as("other traffic continues").startsWith("HTTP/1.1 200");
        assertThat(issueThrough(a)).as("an issuing response is still relayed (its record failed)").isNotEmpty();

        redis.restart();
        await(() -> a.ledger().storeHealthy() && b.ledger().storeHealthy(), "both instances reconnect");
        String issuedAfter = issueThrough(a);
        assertThat(loginThrough(b, issuedAfter)).startsWith("HTTP/1.1 302");
    }

    /** The status code, a space and the body of a GET to the admin listener. */
    private static String adminGet(AdminServer admin, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + admin.address().getPort() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return r.statusCode() + " " + r.body();
    }
}
