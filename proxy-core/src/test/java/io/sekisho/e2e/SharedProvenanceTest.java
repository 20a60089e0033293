package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.KeyLookup;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.audit.AsyncAuditLog;
import io.sekisho.proxy.provenance.ClusterStores;
import io.sekisho.proxy.provenance.SharedTokenLedger;
import io.sekisho.proxy.testing.AuditLines;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * ({@code PROVENANCE_STORE_UNAVAILABLE}) while other traffic goes on; restarted, it recovers.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedProvenanceTest {
    private static final String SIGNIN = "eu-west-1.signin.aws.amazon.com";
    private static final String REDIS_PASSWORD = RedisServer.TEST_PASSWORD;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static RedisServer redis;
    static FakeAwsOrigin origin;
    static Path caPem;
    static Instance a;
    static Instance b;

    /** One Sekisho: its server, its own connection to the store, its audit file and a curl through it. */
    record Instance(ProxyServer server, SharedTokenLedger ledger, AuditLines audit, Curl curl) {
        void close() {
            server.shutdown(Duration.ofMillis(500));
            ledger.store().close();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        RedisServer.require();
        redis = RedisServer.start(tmp.resolve("redis"), "--requirepass", REDIS_PASSWORD);
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        CaInit.Summary ca = new CaInit(Clock.systemUTC(), new SecureRandom())
                .create(tmp.resolve("proxy-ca"), KeyType.EC_P256, "ha e2e");
        caPem = ca.pemFile();
        Files.writeString(tmp.resolve("token-key"), RedisServer.TEST_TOKEN_KEY + "\n");
        Files.writeString(tmp.resolve("redis-password"), REDIS_PASSWORD + "\n");
        a = instance("a", ca, originPki);
        b = instance("b", ca, originPki);
        await(() -> a.ledger().storeHealthy() && b.ledger().storeHealthy(), "both instances connect to the store");
    }

    private static Instance instance(String name, CaInit.Summary ca, TestPki originPki) throws Exception {
        StringBuilder yaml = new StringBuilder("version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  instance: sekisho-" + name + "\n"
                + "domains:\n  allow: [.signin.aws.amazon.com, .console.aws.amazon.com]\n"
                + "tls:\n  ca:\n    certificate: \"" + ca.pemFile() + "\"\n    privateKey: \"" + ca.keyFile() + "\"\n"
                + "aws:\n  accounts:\n    allow: [\"" + CORPORATE + "\"]\n"
                + "cluster:\n  store: \"redis://127.0.0.1:" + redis.port() + "\"\n"
                + "  tokenKey: {file: token-key}\n  password: {file: redis-password}\n"
                + "upstream:\n  trustedCertificates: [\"" + originPki.caPem() + "\"]\n  resolve:\n");
        origin.resolvePatterns().forEach((pattern, target) ->
                yaml.append("    \"").append(pattern).append("\": \"").append(target).append("\"\n"));
        Path file = Files.writeString(tmp.resolve(name + ".yaml"), yaml.toString());
        LoadResult r = ConfigLoader.load(file);
        assertThat(r.errors()).as(yaml.toString()).isEmpty();
        SekishoConfig config = r.config();
        SharedTokenLedger ledger = ClusterStores.start(config.cluster(), System::getenv, Clock.systemUTC());
        Path auditFile = tmp.resolve(name + "-audit.jsonl");
        ProxyServer server = ProxyServer.builder(config,
                StandardPolicy.create(config.policy(), KeyLookup.NONE, ledger, Clock.systemUTC()),
                AsyncAuditLog.open(auditFile.toString(), 10_000, config.auditInstance()), new FakeResolver())
                .provenance(ledger).workerThreads(1).start();
        Curl curl = Curl.viaProxy(Files.createDirectories(tmp.resolve(name + "-curl")), caPem,
                server.address().getPort());
        return new Instance(server, ledger, new AuditLines(auditFile), curl);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Instance i : new Instance[] {a, b}) {
            if (i != null) {
                i.close();
            }
        }
        if (origin != null) {
            origin.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    @Order(1)
    void aTokenIssuedThroughAIsAcceptedThroughBOnce() throws Exception {
        String token = issueThrough(a);

        assertThat(loginThrough(b, token)).startsWith("HTTP/1.1 302");
        assertThat(reasonOf(loginThrough(a, token))).as("a token is used once across the group")
                .isEqualTo("AWS_SIGNIN_TOKEN_UNKNOWN");
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
        redis.stop();
        await(() -> !a.ledger().storeHealthy() && !b.ledger().storeHealthy(), "both instances see the store gone");

        assertThat(reasonOf(loginThrough(b, issuedBefore))).isEqualTo("PROVENANCE_STORE_UNAVAILABLE");
        CommandResult console = b.curl().run("-sS", "-i", "https://eu-west-1.console.aws.amazon.com/console/home");
        assertThat(afterConnect(console.stdout())).as("other traffic continues").startsWith("HTTP/1.1 200");
        assertThat(issueThrough(a)).as("an issuing response is still relayed (its record failed)").isNotEmpty();

        redis.restart();
        await(() -> a.ledger().storeHealthy() && b.ledger().storeHealthy(), "both instances reconnect");
        String issuedAfter = issueThrough(a);
        assertThat(loginThrough(b, issuedAfter)).startsWith("HTTP/1.1 302");
    }

    private static String issueThrough(Instance i) throws Exception {
        AwsIdentities.Identity corp = AwsIdentities.temporary(CORPORATE);
        String session = "{\"sessionId\":\"" + corp.accessKeyId() + "\",\"sessionKey\":\"" + corp.secretAccessKey()
                + "\",\"sessionToken\":\"" + corp.sessionToken() + "\"}";
        CommandResult got = i.curl().run("-sS", "-G", "--data-urlencode", "Action=getSigninToken",
                "--data-urlencode", "Session=" + session, "https://" + SIGNIN + "/federation");
        assertThat(got.exitCode()).as(got.describe()).isZero();
        String token = JSON.readTree(got.stdout()).path("SigninToken").asText();
        assertThat(token).as(got.stdout()).isNotEmpty();
        return token;
    }

    private static String loginThrough(Instance i, String token) {
        return afterConnect(i.curl().run("-sS", "-i", "https://" + SIGNIN + "/federation?Action=login&Destination="
                + enc("https://console.aws.amazon.com/") + "&SigninToken=" + enc(token)).stdout());
    }

    /** The response inside the intercepted tunnel ({@code curl -i} shows the CONNECT's 200 first). */
    private static String afterConnect(String out) {
        String connect = "HTTP/1.1 200 Connection established\r\n\r\n";
        assertThat(out).startsWith(connect);
        return out.substring(connect.length());
    }

    private static String reasonOf(String response) {
        assertThat(response).startsWith("HTTP/1.1 403");
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, "X-Sekisho-Reason:", 0, 17)) {
                return line.substring(17).strip();
            }
        }
        throw new AssertionError("no X-Sekisho-Reason in " + response);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
