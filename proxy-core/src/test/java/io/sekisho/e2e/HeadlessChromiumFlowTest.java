package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario's browser flows against the fakes, without a proxy: Chromium maps every name
 * to the fake origin ({@code --host-resolver-rules}) and trusts its CA through NSS. The final e2e
 * tests run the same flows through Sekisho. Skipped when Chromium is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeadlessChromiumFlowTest {

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static HeadlessChromium browser;

    @BeforeAll
    static void start() {
        if (!HeadlessChromium.available()) {
            return; // each test reports the skip and what to install (see reset())
        }
        TestPki pki = TestPki.create(tmp.resolve("pki"));
        origin = FakeAwsOrigin.start(pki);
        browser = HeadlessChromium.builder(tmp.resolve("browser")).trustCa(pki.caPem())
                .hostResolverRules("MAP * 127.0.0.1:" + origin.httpsPort()).launch();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @BeforeEach
    void reset() {
        HeadlessChromium.assumeAvailable();
        origin.clearRequests();
    }

    @Test
    void portalListsTheAssignedAccounts() {
        PageResult page = browser.openUntil("https://corp.awsapps.com/start/", p -> p.text().contains("Accounts: 2"));

        assertThat(page.text()).contains("Production " + CORPORATE, "AdministratorAccess");
        assertThat(origin.requestsTo("portal.sso.eu-west-1.amazonaws.com")).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo("/instance/appinstances");
            assertThat(r.header(SigninWireShapes.PORTAL_BEARER_HEADER)).get().asString().isNotBlank();
        });
    }

    @Test
    void companyFlowFromPortalThroughRegionalFederationLoginToTheConsole() throws Exception {
        PageResult page = browser.openUntil("https://corp.awsapps.com/start/?account=" + CORPORATE + "&role=AdministratorAccess",
                p -> p.title().startsWith("AWS Console"));

        assertThat(page.title()).isEqualTo("AWS Console — account " + CORPORATE);
        assertThat(page.url()).startsWith("https://eu-west-1.console.aws.amazon.com/console/home");
        RecordedRequest federation = origin.requestsTo("portal.sso.eu-west-1.amazonaws.com").stream()
                .filter(r -> r.path().equals("/federation/console")).findFirst().orElseThrow();
        assertThat(federation.query()).containsEntry("account_id", CORPORATE).containsEntry("role_name", "AdministratorAccess");
        RecordedRequest login = origin.requestsTo("eu-west-1.signin.aws.amazon.com").get(0);
        assertThat(login.query()).containsEntry("Action", "login").containsEntry("Issuer", "https://corp.awsapps.com/start")
                .containsKey("SigninToken");
        assertThat(origin.signin().issuedTokens()).containsKey(login.query().get("SigninToken"));

        Path png = browser.screenshot(tmp.resolve("console.png"));
        assertThat(Files.size(png)).isPositive();
        Files.copy(png, Path.of("target", "e2e-console.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void samlPostFromTheCompanyIdpSignsInToTheRolesAccount() {
        PageResult page = browser.openUntil("https://" + origin.samlIdp().host() + "/idp/aws?roles=" + CORPORATE + ":Operator",
                p -> p.title().startsWith("AWS Console"));

        assertThat(page.title()).isEqualTo("AWS Console — account " + CORPORATE);
        assertThat(origin.requestsTo("signin.aws.amazon.com")).anySatisfy(r -> assertThat(r.form()).containsKey("SAMLResponse"));
    }

    @Test
    void iamUserSignInPagePostsTheAccountAndLandsOnTheConsole() {
        PageResult form = browser.open("https://" + CORPORATE + ".signin.aws.amazon.com/console");
        assertThat(form.title()).isEqualTo("Sign in as IAM user");

        PageResult page = browser.submitForm("#signin_form", Map.of("username", "alice", "password", "not-a-secret"));

        assertThat(page.title()).isEqualTo("AWS Console — account " + CORPORATE);
        RecordedRequest post = origin.requestsTo("signin.aws.amazon.com").stream()
                .filter(r -> r.path().equals("/authenticate")).findFirst().orElseThrow();
        assertThat(post.form()).containsEntry("action", SigninWireShapes.IAM_USER_ACTION).containsEntry("account", CORPORATE);
    }
}
