package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.audit.AsyncAuditLog;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.AuditLines;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 4: {@code aws sso login} end to end with the real AWS CLI v2 (Debian's awscli
 * 2.9, {@code /usr/bin/aws}; the {@code aws} on PATH may be v1) through the real proxy to the fake
 * Identity Center. CLI 2.9 predates PKCE (2.22), so it runs the device flow: RegisterClient,
 * StartDeviceAuthorization with the start URL (the proxy checks it against
 * {@code aws.identityCenter.startUrls}), then CreateToken, answered {@code authorization_pending}
 * until the test approves the user code at the verification page, through the proxy like a
 * browser would. Then GetRoleCredentials for the profile's account and an STS call with the keys.
 * A personal start URL and a foreign account are refused on the way.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AwsSsoLoginCliTest {
    static final Path AWS_V2 = Path.of("/usr/bin/aws");
    static final String START = "https://corp.awsapps.com/start";
    static final String OIDC = "oidc.eu-west-1.amazonaws.com";
    private static final Pattern USER_CODE = Pattern.compile("user_code=([A-Za-z0-9-]+)");

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static ProxyServer proxy;
    static AuditLines audit;
    static Path caPem;
    static Curl browser;
    static final AtomicBoolean approved = new AtomicBoolean();
    static volatile String approvedCode = "";

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(AWS_V2) || "true".equals(System.getenv("CI")),
                "AWS CLI v2 not at /usr/bin/aws: apt-get install -y awscli");
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        origin.override(r -> r.host().equals(OIDC) && r.path().equals("/token"), r -> approved.get()
                ? FakeResponse.json(200, "application/json", "{\"accessToken\":\"e2e-sso-access-token-" + approvedCode
                        + "\",\"tokenType\":\"Bearer\",\"expiresIn\":28800}")
                : FakeResponse.json(400, "application/json",
                        "{\"error\":\"authorization_pending\",\"error_description\":\"not yet approved\"}")
                        .withHeader("x-amzn-ErrorType", "AuthorizationPendingException"));
        origin.override(r -> r.host().startsWith("device.sso."), r -> {
            approvedCode = r.query().getOrDefault("user_code", "");
            approved.set(!approvedCode.isEmpty());
            return FakeResponse.html("<html><body>Request approved</body></html>");
        });
        CaInit.Summary ca = new CaInit(Clock.systemUTC(), new SecureRandom())
                .create(tmp.resolve("proxy-ca"), KeyType.EC_P256, "sso e2e");
        caPem = ca.pemFile();
        StringBuilder yaml = new StringBuilder("version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "domains:\n  allow: [.amazonaws.com, .awsapps.com]\n"
                + "tls:\n  ca:\n    certificate: \"" + ca.pemFile() + "\"\n    privateKey: \"" + ca.keyFile() + "\"\n"
                + "aws:\n  accounts:\n    allow: [\"" + CORPORATE + "\"]\n"
                + "  identityCenter:\n    startUrls: [\"" + START + "\"]\n"
                + "upstream:\n  trustedCertificates: [\"" + originPki.caPem() + "\"]\n  resolve:\n");
        origin.resolvePatterns().forEach((pattern, target) ->
                yaml.append("    \"").append(pattern).append("\": \"").append(target).append("\"\n"));
        LoadResult r = ConfigLoader.parse(yaml.toString(), "sso-e2e.yaml");
        assertThat(r.errors()).as(yaml.toString()).isEmpty();
        SekishoConfig config = r.config();
        Path auditFile = tmp.resolve("audit.jsonl");
        proxy = ProxyServer.builder(config, Wiring.DEFAULT.policyFor(config),
                AsyncAuditLog.open(auditFile.toString(), 10_000), new FakeResolver())
                .blocks(Wiring.DEFAULT.blocksFor(config)).workerThreads(2).start();
        audit = new AuditLines(auditFile);
        browser = Curl.viaProxy(Files.createDirectories(tmp.resolve("browser")), caPem, proxy.address().getPort());
        Files.createDirectories(tmp.resolve("home"));
        Files.writeString(tmp.resolve("aws-config"), profile("corp", START, CORPORATE)
                + profile("personal", "https://personal-idc.awsapps.com/start", CORPORATE)
                + profile("foreign-account", START, FOREIGN));
    }

    private static String profile(String name, String startUrl, String account) {
        return "[profile " + name + "]\nsso_start_url = " + startUrl + "\nsso_region = eu-west-1\n"
                + "sso_account_id = " + account + "\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n"
                + "output = json\n\n";
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.shutdown(Duration.ofMillis(500));
        }
        if (origin != null) {
            origin.close();
        }
    }

    private static ProcessBuilder aws(String... args) {
        ProcessBuilder pb = new ProcessBuilder(concat(AWS_V2.toString(), args)).directory(tmp.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", tmp.resolve("home").toString());
        env.put("LANG", "C.UTF-8");
        env.put("PYTHONUNBUFFERED", "1"); // the user code must be readable while the CLI polls
        env.put("AWS_CONFIG_FILE", tmp.resolve("aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("none").toString());
        env.put("AWS_CA_BUNDLE", caPem.toString());
        env.put("HTTPS_PROXY", "http://127.0.0.1:" + proxy.address().getPort());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        return pb;
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(List.of(rest));
        return all;
    }

    /** Runs the CLI; on each output line {@code onLine} may act (approve the code). */
    private static CommandResult run(java.util.function.Consumer<String> onLine, String... args) throws Exception {
        Process p = aws(args).start();
        StringBuilder out = new StringBuilder();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.append(line).append('\n');
                    onLine.accept(line);
                }
            } catch (IOException e) {
                out.append("[read failed: ").append(e).append("]\n");
            }
        });
        boolean ended = p.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        reader.get(10, TimeUnit.SECONDS);
        return new CommandResult(concat(AWS_V2.toString(), args), ended ? p.exitValue() : -1, out.toString(), "",
                !ended);
    }

    /** The user at a browser: opens the verification URL with the code, through the proxy. */
    private static void approveOnPortal(String line) {
        Matcher m = USER_CODE.matcher(line);
        if (m.find() && line.contains("https://device.sso.")) {
            String url = line.substring(line.indexOf("https://")).strip();
            CommandResult opened = browser.run("-s", "-o", "/dev/null", "-w", "%{http_code}", url);
            assertThat(opened.stdout()).as(opened.describe()).isEqualTo("200");
        }
    }

    @Test
    @Order(1)
    void ssoLoginRunsTheDeviceFlowAndTheKeysWork() throws Exception {
        CommandResult login = run(AwsSsoLoginCliTest::approveOnPortal, "sso", "login", "--profile", "corp",
                "--no-browser");

        assertThat(login.succeeded()).as(login.describe()).isTrue();
        assertThat(login.stdout()).contains("Successfully logged into Start URL: " + START);
        assertThat(approved.get()).isTrue();
        RecordedRequest device = origin.requestsTo(OIDC).stream().filter(q -> q.path().equals("/device_authorization"))
                .findFirst().orElseThrow();
        assertThat(device.bodyText()).contains("\"startUrl\": \"" + START + "\"");

        CommandResult who = run(line -> { }, "sts", "get-caller-identity", "--profile", "corp");
        assertThat(who.succeeded()).as(who.describe()).isTrue();
        assertThat(who.stdout()).contains("\"Account\": \"" + CORPORATE + "\"");
        assertThat(origin.requestsTo("portal.sso.eu-west-1.amazonaws.com")).anySatisfy(q ->
                assertThat(q.path()).isEqualTo("/federation/credentials"));
    }

    @Test
    @Order(2)
    void aPersonalStartUrlIsRefusedBeforeTheDeviceFlowStarts() throws Exception {
        int before = origin.requestsTo(OIDC).size();
        CommandResult login = run(line -> { }, "sso", "login", "--profile", "personal", "--no-browser");

        assertThat(login.succeeded()).as(login.describe()).isFalse();
        assertThat(origin.requestsTo(OIDC).subList(before, origin.requestsTo(OIDC).size()))
                .noneSatisfy(q -> assertThat(q.path()).isEqualTo("/device_authorization"));
        audit.await(l -> "AWS_PORTAL_NOT_ALLOWED".equals(l.get("reason")) && OIDC.equals(l.get("host")),
                Duration.ofSeconds(10));
    }

    @Test
    @Order(3)
    void credentialsForAForeignAccountAreRefused() throws Exception {
        CommandResult who = run(line -> { }, "sts", "get-caller-identity", "--profile", "foreign-account");

        assertThat(who.succeeded()).as(who.describe()).isFalse();
        audit.await(l -> "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED".equals(l.get("reason"))
                && "portal.sso.eu-west-1.amazonaws.com".equals(l.get("host")), Duration.ofSeconds(10));
    }
}
