package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario of issue 5, end to end: headless Chromium trusting Sekisho's CA, the real
 * proxy with the real config loader and engine ({@link Wiring#DEFAULT}), and the fake Identity
 * Center, sign-in and console behind {@code upstream.resolve}. The company's portal flow reaches
 * its console; every other way into AWS is blocked inside an intercepted tunnel, so the browser
 * shows Sekisho's block page with the reason, the account, the contact and the audit line's
 * request id. The last test scans every log the class produced for the sign-in material used.
 * Skipped when Chromium is not installed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SigninScenariosTest {
    static final String CONTACT = "IT Security Desk, extension 4321";
    static final String START = "https://corp.awsapps.com/start/";
    static final String PORTAL_API = "portal.sso.eu-west-1.amazonaws.com";
    static final String REGIONAL_SIGNIN = "eu-west-1.signin.aws.amazon.com";
    static final String PASSWORD = "pw-Sekisho-e2e-7431-secret";
    private static final Pattern CORRELATION = Pattern.compile("Correlation id\\s+(\\S+)");

    @TempDir
    static Path tmp;
    static TestPki originPki;
    static FakeAwsOrigin origin;
    static ProxyServer proxy;
    static AuditLines audit;
    static HeadlessChromium browser;
    static Path caPem;
    static LogCapture logs;
    /** Sign-in material the scenarios used that no log may hold (collected as the tests run). */
    static final Set<String> secrets = ConcurrentHashMap.newKeySet();
    static String companyLoginUrl;

    @BeforeAll
    static void start() throws Exception {
        if (!HeadlessChromium.available()) {
            return; // each test reports the skip and the install hint (see requireBrowser())
        }
        logs = LogCapture.start(tmp.resolve("logback.log"));
        originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        CaInit.Summary ca = new CaInit(Clock.systemUTC(), new SecureRandom()).create(tmp.resolve("proxy-ca"), KeyType.EC_P256, "e2e");
        caPem = ca.pemFile();
        SekishoConfig config = config(ca);
        Path auditFile = tmp.resolve("audit.jsonl");
        proxy = ProxyServer.builder(config, Wiring.DEFAULT.policyFor(config), AsyncAuditLog.open(auditFile.toString(), 10_000),
                new FakeResolver()).blocks(Wiring.DEFAULT.blocksFor(config)).workerThreads(2).start();
        audit = new AuditLines(auditFile);
        // The SAML IdP is not an AWS host: its tunnel is not intercepted, so the browser meets the origin's CA there.
        browser = HeadlessChromium.builder(tmp.resolve("browser")).trustCa(caPem).trustCa(originPki.caPem())
                .proxy(proxy.address().getPort()).launch();
    }

    private static SekishoConfig config(CaInit.Summary ca) {
        StringBuilder yaml = new StringBuilder("version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "domains:\n  allow: [.awsapps.com, .signin.aws.amazon.com, .console.aws.amazon.com, .amazonaws.com,"
                + " .app.aws, .signin.aws, " + FakeSamlIdp.DEFAULT_HOST + "]\n"
                + "tls:\n  ca:\n    certificate: \"" + ca.pemFile() + "\"\n    privateKey: \"" + ca.keyFile() + "\"\n"
                + "aws:\n  accounts:\n    allow:\n"
                + "      - {id: \"" + CORPORATE + "\", name: corp-prod, aliases: [corp-prod]}\n"
                + "      - \"" + AwsIdentities.CORPORATE_2 + "\"\n"
                + "  identityCenter:\n    startUrls: [\"https://corp.awsapps.com/start\"]\n"
                + "blockPage:\n  contact: \"" + CONTACT + "\"\n"
                + "upstream:\n  trustedCertificates: [\"" + originPki.caPem() + "\"]\n  resolve:\n");
        origin.resolvePatterns().forEach((pattern, target) ->
                yaml.append("    \"").append(pattern).append("\": \"").append(target).append("\"\n"));
        LoadResult r = ConfigLoader.parse(yaml.toString(), "signin-e2e.yaml");
        assertThat(r.errors()).as(yaml.toString()).isEmpty();
        return r.config();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (proxy != null) {
            proxy.shutdown(Duration.ofMillis(500));
        }
        if (origin != null) {
            origin.close();
        }
        if (logs != null) {
            logs.stop();
        }
    }

    @BeforeEach
    void requireBrowser() {
        HeadlessChromium.assumeAvailable();
    }

    // ---- the company's flows --------------------------------------------------------------

    @Test
    @Order(1)
    void companyPortalFlowReachesTheCompanysConsole() {
        PageResult page = browser.openUntil(START + "?account=" + CORPORATE + "&role=AdministratorAccess",
                p -> p.title().startsWith("AWS Console"));

        assertThat(page.title()).isEqualTo("AWS Console — account " + CORPORATE);
        RecordedRequest federation = origin.requestsTo(PORTAL_API).stream()
                .filter(r -> r.path().equals("/federation/console") && r.method().equals("GET")).findFirst().orElseThrow();
        // The token response must stay readable for token provenance: no brotli asked for.
        assertThat(federation.header("Accept-Encoding")).contains("gzip, deflate");
        RecordedRequest login = origin.requestsTo(REGIONAL_SIGNIN).stream()
                .filter(r -> "login".equals(r.query().get("Action"))).findFirst().orElseThrow();
        companyLoginUrl = "https://" + REGIONAL_SIGNIN + login.uri();

        assertThat(awaitLine("GET", "corp.awsapps.com", "/start/")).containsEntry("verdict", "ALLOW")
                .containsEntry("flow", "portal").containsEntry("identityCenter", "corp.awsapps.com");
        assertThat(awaitLine("GET", PORTAL_API, "/federation/console")).containsEntry("verdict", "ALLOW")
                .containsEntry("flow", "portal").containsEntry("principalAccount", CORPORATE);
        assertThat(awaitLine("GET", REGIONAL_SIGNIN, "/federation")).containsEntry("verdict", "ALLOW")
                .containsEntry("flow", "federation").containsEntry("principalAccount", CORPORATE);
        assertThat(awaitLine("GET", "eu-west-1.console.aws.amazon.com", "/console/home")).containsEntry("verdict", "ALLOW")
                .containsEntry("flow", "console");
    }

    @Test
    @Order(2)
    void companySamlAssertionSignsInToItsRole() {
        PageResult page = browser.openUntil("https://" + FakeSamlIdp.DEFAULT_HOST + "/idp/aws?roles=" + CORPORATE + ":Operator",
                p -> p.title().startsWith("AWS Console"));

        assertThat(page.title()).isEqualTo("AWS Console — account " + CORPORATE);
        assertThat(awaitLine("POST", "signin.aws.amazon.com", "/saml")).containsEntry("verdict", "ALLOW")
                .containsEntry("flow", "saml").containsEntry("principalAccount", CORPORATE);
    }

    @Test
    @Order(3)
    void companyIamUserSignsInByItsAlias() {
        PageResult form = browser.open("https://corp-prod.signin.aws.amazon.com/console");
        assertThat(form.title()).isEqualTo("Sign in as IAM user");

        PageResult page = browser.submitForm("#signin_form", Map.of("username", "alice", "password", PASSWORD));

        assertThat(page.title()).isEqualTo("AWS Console — account " + CORPORATE);
        assertThat(awaitLine("POST", "signin.aws.amazon.com", "/authenticate")).containsEntry("verdict", "ALLOW")
                .containsEntry("flow", "iam-user").containsEntry("principalAccount", CORPORATE);
    }

    @Test
    @Order(4)
    void companyGetSigninTokenPostedAsAFormGivesALoginUrlThatWorksOnce() throws Exception {
        AwsIdentities.Identity corp = AwsIdentities.temporary(CORPORATE);
        secrets.add(corp.secretAccessKey());
        secrets.add(corp.sessionToken());
        String session = "{\"sessionId\":\"" + corp.accessKeyId() + "\",\"sessionKey\":\"" + corp.secretAccessKey()
                + "\",\"sessionToken\":\"" + corp.sessionToken() + "\"}";

        // The Session travels in the body here: token provenance must see the request body with the response.
        CommandResult got = Curl.viaProxy(tmp.resolve("curl"), caPem, proxy.address().getPort()).run(
                "--data-urlencode", "Action=getSigninToken", "--data-urlencode", "Session=" + session,
                "https://" + REGIONAL_SIGNIN + "/federation");
        assertThat(got.exitCode()).as(got.stderr()).isZero();
        String token = new ObjectMapper().readTree(got.stdout()).path("SigninToken").asText();
        assertThat(token).isNotEmpty();
        String login = "https://" + REGIONAL_SIGNIN + "/federation?Action=login&Issuer=corp&Destination="
                + enc(SigninWireShapes.consoleHome("eu-west-1")) + "&SigninToken=" + enc(token);

        assertThat(browser.openUntil(login, p -> p.title().startsWith("AWS Console")).title())
                .isEqualTo("AWS Console — account " + CORPORATE);
        assertBlockPage(browser.open(login), "AWS_SIGNIN_TOKEN_UNKNOWN", null);
    }

    // ---- each way into another account is blocked, and the page says why ------------------

    @Test
    @Order(10)
    void replayedLoginUrlIsBlocked() {
        assertThat(companyLoginUrl).as("set by the company flow").isNotNull();
        long logins = loginsAtOrigin();

        PageResult page = browser.open(companyLoginUrl);

        Map<String, Object> line = assertBlockPage(page, "AWS_SIGNIN_TOKEN_UNKNOWN", null);
        assertThat(line).containsEntry("flow", "federation").containsEntry("host", REGIONAL_SIGNIN);
        assertThat(loginsAtOrigin()).isEqualTo(logins);
    }

    @Test
    @Order(11)
    void unknownSigninTokenIsBlocked() {
        long logins = loginsAtOrigin();

        PageResult page = browser.open("https://" + REGIONAL_SIGNIN + "/federation?Action=login&Issuer=home"
                + "&Destination=" + enc("https://console.aws.amazon.com/") + "&SigninToken=made-at-home");

        assertThat(assertBlockPage(page, "AWS_SIGNIN_TOKEN_UNKNOWN", null)).containsEntry("flow", "federation");
        assertThat(loginsAtOrigin()).isEqualTo(logins);
    }

    @Test
    @Order(12)
    void anotherCompanysPortalIsBlocked() {
        PageResult page = browser.open("https://evil.awsapps.com/start/");

        Map<String, Object> line = assertBlockPage(page, "AWS_PORTAL_NOT_ALLOWED", null);
        assertThat(line).containsEntry("flow", "portal").containsEntry("identityCenter", "evil.awsapps.com");
        assertThat(origin.requestsTo("evil.awsapps.com")).isEmpty();
    }

    @Test
    @Order(13)
    void portalConsoleCallForAForeignAccountFailsInThePortalAndAsANavigation() {
        PageResult portal = browser.openUntil(START + "?account=" + FOREIGN + "&role=Admin",
                p -> p.text().contains("Portal error"));

        assertThat(portal.title()).doesNotStartWith("AWS Console");
        Map<String, Object> xhr = audit.await(l -> PORTAL_API.equals(l.get("host")) && "DENY".equals(l.get("verdict"))
                && FOREIGN.equals(l.get("principalAccount")), Duration.ofSeconds(10));
        assertThat(xhr).containsEntry("reason", "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED").containsEntry("flow", "portal");
        assertThat(origin.requestsTo(PORTAL_API)).noneMatch(r -> FOREIGN.equals(r.query().get("account_id")));

        PageResult page = browser.open("https://" + PORTAL_API + "/federation/console?account_id=" + FOREIGN
                + "&role_name=Admin");
        assertBlockPage(page, "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED", FOREIGN);
    }

    @Test
    @Order(14)
    void signinUrlFromAForeignGetSigninTokenIsBlocked() throws Exception {
        AwsIdentities.Identity foreign = AwsIdentities.temporary(FOREIGN);
        secrets.add(foreign.secretAccessKey());
        secrets.add(foreign.sessionToken());
        String session = "{\"sessionId\":\"" + foreign.accessKeyId() + "\",\"sessionKey\":\"" + foreign.secretAccessKey()
                + "\",\"sessionToken\":\"" + foreign.sessionToken() + "\"}";
        String getToken = "https://signin.aws.amazon.com/federation?Action=getSigninToken&Session=" + enc(session);

        CommandResult viaSekisho = Curl.viaProxy(tmp.resolve("curl"), caPem, proxy.address().getPort()).run(getToken);
        assertThat(viaSekisho.stdout()).doesNotContain("SigninToken\"");
        Map<String, Object> denied = audit.await(l -> "signin.aws.amazon.com".equals(l.get("host"))
                && "/federation".equals(l.get("path")) && FOREIGN.equals(l.get("principalAccount")), Duration.ofSeconds(10));
        assertThat(denied).containsEntry("verdict", "DENY").containsEntry("reason", "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED")
                .containsEntry("flow", "federation");

        // Minted at home, without Sekisho, then opened on the terminal.
        CommandResult atHome = Curl.direct(tmp.resolve("curl-home"), originPki.caPem(), origin).run(getToken);
        String token = new ObjectMapper().readTree(atHome.stdout()).path("SigninToken").asText();
        assertThat(token).isNotEmpty();
        secrets.add(token);
        PageResult page = browser.open("https://signin.aws.amazon.com/federation?Action=login&Issuer=home&Destination="
                + enc("https://console.aws.amazon.com/") + "&SigninToken=" + enc(token));

        assertBlockPage(page, "AWS_SIGNIN_TOKEN_UNKNOWN", null);
        assertThat(origin.requests()).noneMatch(r -> token.equals(r.query().get("SigninToken")));
    }

    @Test
    @Order(15)
    void samlAssertionForAForeignRoleIsBlocked() throws Exception {
        PageResult page = browser.openUntil("https://" + FakeSamlIdp.DEFAULT_HOST + "/idp/aws?roles=" + FOREIGN + ":Exfil",
                p -> p.title().equals("Blocked by Sekisho"));

        assertThat(assertBlockPage(page, "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED", FOREIGN)).containsEntry("flow", "saml");
        Path png = browser.screenshot(tmp.resolve("blocked.png"));
        Files.createDirectories(Path.of("target"));
        Files.copy(png, Path.of("target", "e2e-signin-blocked.png"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(origin.requests()).noneMatch(r -> r.path().equals("/saml") && r.form().containsKey("SAMLResponse")
                && FakeSamlIdp.parse(r.form().get("SAMLResponse")).roleArns().stream().anyMatch(a -> a.contains(FOREIGN)));
    }

    @Test
    @Order(16)
    void iamUserSigninPageOfAForeignAccountIdIsBlocked() {
        PageResult page = browser.open("https://" + FOREIGN + ".signin.aws.amazon.com/console");

        assertThat(assertBlockPage(page, "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED", FOREIGN)).containsEntry("flow", "iam-user");
        assertThat(origin.requestsTo(FOREIGN + ".signin.aws.amazon.com")).isEmpty();
    }

    @Test
    @Order(17)
    void iamUserSigninPageOfAnUnknownAliasIsBlocked() {
        PageResult page = browser.open("https://someone-else.signin.aws.amazon.com/console");

        assertThat(assertBlockPage(page, "AWS_SIGNIN_ACCOUNT_UNKNOWN", null)).containsEntry("flow", "iam-user");
        assertThat(origin.requestsTo("someone-else.signin.aws.amazon.com")).isEmpty();
    }

    @Test
    @Order(18)
    void rootSigninIsBlocked() {
        PageResult emailPage = browser.open(SigninWireShapes.ROOT_SIGNIN_URL);
        assertThat(emailPage.title()).doesNotContain("Blocked");

        PageResult page = browser.submitForm("#email_form", Map.of("email", "owner@rival.example"));

        assertThat(assertBlockPage(page, "AWS_ROOT_SIGNIN", null)).containsEntry("flow", "root");
        assertThat(origin.requestsTo("signin.aws.amazon.com")).noneMatch(r -> r.method().equals("POST")
                && r.path().equals("/signin"));
    }

    // ---- audit: no sign-in material in any log ----------------------------------------------

    @Test
    @Order(100)
    void noSigninSecretReachesAnyLog() throws Exception {
        collectSecretsSeenByTheOrigin();
        // Assertion messages must not print the secrets either: compare counts and booleans only.
        assertThat(secrets.size()).as("tokens, passwords, keys, cookies and assertions used").isGreaterThan(5);
        assertThat(secrets.contains(PASSWORD)).as("the IAM user's password is among them").isTrue();
        Path planted = Files.writeString(tmp.resolve("planted.log"), "x " + PASSWORD + " x");
        assertThat(LogScan.findings(Set.of(planted), secrets)).as("the scan sees a planted secret").hasSize(1);

        Set<Path> files = LogScan.logFiles(tmp.resolve("audit.jsonl"), logs.file(), browser.workDir(),
                Path.of("target", "surefire-reports"));
        assertThat(files).contains(tmp.resolve("audit.jsonl"), logs.file(), browser.workDir().resolve("chromium.err"));
        assertThat(LogScan.findings(files, secrets)).isEmpty();
    }

    /** Everything secret that crossed the proxy to the fake: tokens, session keys, cookies, assertions, passwords. */
    private static void collectSecretsSeenByTheOrigin() throws Exception {
        ObjectMapper json = new ObjectMapper();
        secrets.addAll(origin.signin().issuedTokens().keySet());
        for (RecordedRequest r : origin.requests()) {
            Map<String, String> p = r.parameters();
            for (String name : new String[] {"SigninToken", "SAMLResponse", "password"}) {
                if (p.containsKey(name)) {
                    secrets.add(p.get(name));
                }
            }
            if (p.containsKey("Session")) {
                JsonNode s = json.readTree(p.get("Session"));
                secrets.add(s.path("sessionKey").asText());
                secrets.add(s.path("sessionToken").asText());
            }
            r.header(SigninWireShapes.PORTAL_BEARER_HEADER).ifPresent(secrets::add);
            for (String cookie : r.headers("Cookie")) {
                for (String pair : cookie.split(";")) {
                    int eq = pair.indexOf('=');
                    secrets.add(eq < 0 ? "" : pair.substring(eq + 1).strip());
                }
            }
        }
        // Every assertion, the foreign one that never reached the origin included, starts with these bytes.
        byte[] head = FakeSamlIdp.responseXml("x", java.util.List.of(), java.time.Instant.EPOCH)
                .getBytes(StandardCharsets.UTF_8);
        secrets.add(java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(head, 72)));
        // Too short to be a secret (and would match by accident): ignore.
        secrets.removeIf(s -> s.length() < 12);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * The page is Sekisho's block page naming the reason, the account (when given), the contact
     * and a correlation id; returns the audit line with that id, which must be the same deny.
     */
    private static Map<String, Object> assertBlockPage(PageResult page, String reason, String account) {
        assertThat(page.title()).as(page.toString()).isEqualTo("Blocked by Sekisho");
        assertThat(page.text()).contains("Reason code", reason).contains(CONTACT);
        if (account != null) {
            assertThat(page.text()).contains(account);
        }
        Matcher m = CORRELATION.matcher(page.text());
        assertThat(m.find()).as(page.text()).isTrue();
        String id = m.group(1);
        Map<String, Object> line = audit.await(l -> id.equals(l.get("requestId")), Duration.ofSeconds(10));
        assertThat(line).containsEntry("verdict", "DENY").containsEntry("reason", reason);
        if (account != null) {
            assertThat(line).containsEntry("principalAccount", account);
        }
        return line;
    }

    private static Map<String, Object> awaitLine(String method, String host, String path) {
        return audit.await(l -> method.equals(l.get("method")) && host.equals(l.get("host")) && path.equals(l.get("path")),
                Duration.ofSeconds(10));
    }

    private static long loginsAtOrigin() {
        return origin.requests().stream().filter(r -> "login".equals(r.query().get("Action"))).count();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
