package io.sekisho.e2e;

import static io.sekisho.e2e.ProvenanceGroup.await;
import static io.sekisho.e2e.ProvenanceGroup.consoleThrough;
import static io.sekisho.e2e.ProvenanceGroup.issueThrough;
import static io.sekisho.e2e.ProvenanceGroup.loginThrough;
import static io.sekisho.e2e.ProvenanceGroup.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.ProvenanceGroup.Instance;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Set;
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
 * Issue 14 point 1, TLS: a real {@code redis-server} serving only {@code rediss://} (TLS port,
 * a certificate for 127.0.0.1 from a test CA, AUTH with {@code requirepass}). Two instances
 * trusting that CA through {@code cluster.caCertificates} share provenance; a third trusting
 * another CA never connects, so it denies sign-in with {@code PROVENANCE_STORE_UNAVAILABLE} and
 * serves everything else; the store's password is in no log.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedProvenanceTlsTest {
    @TempDir
    static Path tmp;
    static RedisServer redis;
    static FakeAwsOrigin origin;
    static LogCapture logs;
    static Instance a;
    static Instance b;
    static Instance wrongCa;

    @BeforeAll
    static void start() throws Exception {
        RedisServer.require();
        logs = LogCapture.start(tmp.resolve("logback.log"));
        TestPki storePki = TestPki.create(tmp.resolve("store-pki"));
        TestPki.Leaf storeLeaf = storePki.leaf("127.0.0.1");
        // PKCS#8, which OpenSSL 3 reads (not the traditional EC form TestPki writes for Netty).
        Path storeKey = Files.writeString(tmp.resolve("store-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(storeLeaf.key().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        redis = RedisServer.startTls(tmp.resolve("redis"), storeLeaf.certificatePem(), storeKey, storePki.caPem(), "--requirepass", RedisServer.TEST_PASSWORD);
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        CaInit.Summary ca = new CaInit(Clock.systemUTC(), new SecureRandom())
                .create(tmp.resolve("proxy-ca"), KeyType.EC_P256, "ha tls e2e");
        Files.writeString(tmp.resolve("token-key"), RedisServer.TEST_TOKEN_KEY + "\n");
        Files.writeString(tmp.resolve("redis-password"), RedisServer.TEST_PASSWORD + "\n");
        a = ProvenanceGroup.start(tmp, "a", ca, origin, originPki, cluster(storePki.caPem()));
        b = ProvenanceGroup.start(tmp, "b", ca, origin, originPki, cluster(storePki.caPem()));
        await(() -> a.ledger().storeHealthy() && b.ledger().storeHealthy(), "both instances connect over TLS");
        Path otherCa = TestPki.create(tmp.resolve("other-pki")).caPem();
        wrongCa = ProvenanceGroup.start(tmp, "wrong-ca", ca, origin, originPki, cluster(otherCa));
    }

    private static String cluster(Path storeCa) {
        return "  store: \"rediss://127.0.0.1:" + redis.port() + "\"\n"
                + "  caCertificates: \"" + storeCa + "\"\n"
                + "  tokenKey: {file: token-key}\n  password: {file: redis-password}\n";
    }

    @AfterAll
    static void stop() throws Exception {
        ProvenanceGroup.stop(redis, origin, a, b, wrongCa);
        if (logs != null) {
            logs.stop();
        }
    }

    @Test
    @Order(1)
    void aTokenIssuedThroughAIsAcceptedThroughBOverTls() throws Exception {
        ProvenanceGroup.issueThroughLoginThroughOnce(a, b);
    }

    @Test
    @Order(2)
    void aStoreCertificateFromAnotherCaMeansOnlySigninIsDenied() throws Exception {
        String where = "cluster.store rediss://127.0.0.1:" + redis.port() + " unreachable";
        await(() -> logText().contains(where), "the instance with the wrong CA says the store is unreachable");
        String token = issueThrough(a);

        assertThat(wrongCa.ledger().storeHealthy()).isFalse();
        assertThat(reasonOf(loginThrough(wrongCa, token))).isEqualTo("PROVENANCE_STORE_UNAVAILABLE");
        assertThat(consoleThrough(wrongCa)).as("other traffic continues").startsWith("HTTP/1.1 200");
        assertThat(loginThrough(b, token)).as("the refused login did not spend the token").startsWith("HTTP/1.1 302");
    }

    @Test
    @Order(3)
    void theStorePasswordAndTokenKeyAreInNoLog() throws Exception {
        Set<Path> files = LogScan.logFiles(tmp);
        assertThat(files).contains(logs.file(), tmp.resolve("a-audit.jsonl"), tmp.resolve("redis/redis.log"));
        assertThat(logText()).as("the capture holds the proxy's own store lines").contains("cluster.store rediss://");

        assertThat(LogScan.findings(files, List.of(RedisServer.TEST_PASSWORD, RedisServer.TEST_TOKEN_KEY))).isEmpty();
    }

    private static String logText() {
        try {
            return Files.readString(logs.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
