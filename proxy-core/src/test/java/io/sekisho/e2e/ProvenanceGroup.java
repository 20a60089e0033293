package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.audit.AsyncAuditLog;
import io.sekisho.proxy.provenance.ClusterStores;
import io.sekisho.proxy.provenance.SharedTokenLedger;
import io.sekisho.proxy.testing.AuditLines;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.tls.CaInit;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Sekisho instances of one group sharing sign-in provenance through a store, and the console
 * sign-in steps the shared-provenance tests take through them with curl.
 */
final class ProvenanceGroup {
    static final String SIGNIN = "eu-west-1.signin.aws.amazon.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProvenanceGroup() {
    }

    /** One Sekisho: its server, its own connection to the store, its audit file and a curl through it. */
    record Instance(ProxyServer server, SharedTokenLedger ledger, AuditLines audit, Curl curl) {
        void close() {
            server.shutdown(Duration.ofMillis(500));
            ledger.store().close();
        }
    }

    /**
     * Starts instance {@code name} under {@code tmp}, intercepting with {@code ca}, reaching
     * {@code origin}, with {@code cluster} as its {@code cluster:} section (YAML lines indented by two).
     */
    static Instance start(Path tmp, String name, CaInit.Summary ca, FakeAwsOrigin origin, TestPki originPki,
            String cluster) throws Exception {
        StringBuilder yaml = new StringBuilder("version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  instance: sekisho-" + name + "\n"
                + "domains:\n  allow: [.signin.aws.amazon.com, .console.aws.amazon.com]\n"
                + "tls:\n  ca:\n    certificate: \"" + ca.pemFile() + "\"\n    privateKey: \"" + ca.keyFile() + "\"\n"
                + "aws:\n  accounts:\n    allow: [\"" + CORPORATE + "\"]\n"
                + "cluster:\n" + cluster
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
        Curl curl = Curl.viaProxy(Files.createDirectories(tmp.resolve(name + "-curl")), ca.pemFile(),
                server.address().getPort());
        return new Instance(server, ledger, new AuditLines(auditFile), curl);
    }

    /** A token issued through {@code a} logs in through {@code b}, and only once across the group. */
    static void issueThroughLoginThroughOnce(Instance a, Instance b) throws Exception {
        String token = issueThrough(a);

        assertThat(loginThrough(b, token)).startsWith("HTTP/1.1 302");
        assertThat(reasonOf(loginThrough(a, token))).as("a token is used once across the group")
                .isEqualTo("AWS_SIGNIN_TOKEN_UNKNOWN");
    }

    /** Stops what a test started; any of them may be null (a start that failed half-way). */
    static void stop(RedisServer redis, FakeAwsOrigin origin, Instance... instances)
            throws Exception {
        for (Instance i : instances) {
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

    /** Asks AWS (the fake) through {@code i} for a console sign-in token for a corporate session. */
    static String issueThrough(Instance i) throws Exception {
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

    /** The response to a console login with {@code token} through {@code i}. */
    static String loginThrough(Instance i, String token) {
        return afterConnect(i.curl().run("-sS", "-i", "https://" + SIGNIN + "/federation?Action=login&Destination="
                + enc("https://console.aws.amazon.com/") + "&SigninToken=" + enc(token)).stdout());
    }

    /** The response to a console page (no provenance needed) through {@code i}. */
    static String consoleThrough(Instance i) {
        return afterConnect(i.curl().run("-sS", "-i", "https://eu-west-1.console.aws.amazon.com/console/home")
                .stdout());
    }

    /** The response inside the intercepted tunnel ({@code curl -i} shows the CONNECT's 200 first). */
    static String afterConnect(String out) {
        String connect = "HTTP/1.1 200 Connection established\r\n\r\n";
        assertThat(out).startsWith(connect);
        return out.substring(connect.length());
    }

    static String reasonOf(String response) {
        assertThat(response).startsWith("HTTP/1.1 403");
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, "X-Sekisho-Reason:", 0, 17)) {
                return line.substring(17).strip();
            }
        }
        throw new AssertionError("no X-Sekisho-Reason in " + response);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
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
