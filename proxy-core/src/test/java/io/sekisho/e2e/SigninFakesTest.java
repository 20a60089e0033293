package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Identity Center, sign-in and console fakes answer in the shapes of aws-wire-facts §3–4 (curl, no proxy). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SigninFakesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static Curl curl;

    @BeforeAll
    static void start() {
        assumeTrue(Curl.available(), "curl is not installed");
        TestPki pki = TestPki.create(tmp.resolve("pki"));
        origin = FakeAwsOrigin.start(pki);
        curl = Curl.direct(tmp, pki.caPem(), origin);
    }

    @AfterAll
    static void stop() {
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void getSigninTokenIssuesATokenForTheSessionKeysAccountAndLoginRedirectsWithTheUserInfoCookie() throws Exception {
        AwsIdentities.Identity foreign = AwsIdentities.temporary(FOREIGN);
        String session = JSON.createObjectNode().put("sessionId", foreign.accessKeyId())
                .put("sessionKey", foreign.secretAccessKey()).put("sessionToken", foreign.sessionToken()).toString();

        CommandResult issued = curl.run("-G", "--data-urlencode", "Action=getSigninToken", "--data-urlencode",
                "Session=" + session, "https://signin.aws.amazon.com/federation");
        String token = JSON.readTree(issued.stdout()).path("SigninToken").asText();
        CommandResult login = curl.run("-i", "-G", "--data-urlencode", "Action=login", "--data-urlencode", "SigninToken=" + token,
                "--data-urlencode", "Destination=https://console.aws.amazon.com/console/home",
                "https://signin.aws.amazon.com/federation");

        assertThat(token).as(issued.describe()).isNotBlank();
        assertThat(origin.signin().issuedTokens().get(token).account()).isEqualTo(FOREIGN);
        assertThat(login.stdout()).startsWith("HTTP/1.1 302").contains("Location: https://console.aws.amazon.com/console/home");
        assertThat(userInfoArn(login.stdout())).isEqualTo("arn:aws:sts::" + FOREIGN + ":assumed-role/sekisho-e2e/federated");
    }

    @Test
    void loginWithAnUnknownTokenRedirectsWithoutAPrincipal() {
        CommandResult login = curl.run("-i", "https://eu-west-1.signin.aws.amazon.com/federation?Action=login&SigninToken=made-at-home"
                + "&Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fconsole%2Fhome");

        assertThat(login.stdout()).startsWith("HTTP/1.1 302").doesNotContain("Set-Cookie");
    }

    @Test
    void consoleTitleNamesTheAccountOfTheUserInfoCookie() {
        String cookie = URLEncoder.encode("{\"arn\":\"arn:aws:iam::" + CORPORATE + ":user/alice\"}", StandardCharsets.UTF_8);

        CommandResult signedIn = curl.run("-H", "Cookie: aws-userInfo=" + cookie, "https://eu-west-1.console.aws.amazon.com/console/home");
        CommandResult anonymous = curl.run("https://console.aws.amazon.com/console/home");

        assertThat(signedIn.stdout()).contains("<title>AWS Console — account " + CORPORATE + "</title>");
        assertThat(anonymous.stdout()).contains("<title>AWS Console — not signed in</title>");
    }

    @Test
    void samlWithTwoRolesShowsTheChooserAndThePostedChoiceSignsIn() {
        String assertion = FakeSamlIdp.samlResponse("alice", List.of(FakeSamlIdp.roleValue(CORPORATE, "Operator"),
                FakeSamlIdp.roleValue(FOREIGN, "Exfil")), Instant.now());
        String foreignRole = "arn:aws:iam::" + FOREIGN + ":role/Exfil";

        CommandResult chooser = curl.run("--data-urlencode", "SAMLResponse=" + assertion, "https://signin.aws.amazon.com/saml");
        CommandResult chosen = curl.run("-i", "--data-urlencode", "SAMLResponse=" + assertion, "--data-urlencode",
                SigninWireShapes.SAML_ROLE_FIELD + "=" + foreignRole, "https://signin.aws.amazon.com/saml");

        assertThat(chooser.stdout()).contains("id=\"saml_form\"", "class=\"saml-radio\"", "value=\"" + foreignRole + "\"",
                "value=\"arn:aws:iam::" + CORPORATE + ":role/Operator\"");
        assertThat(chosen.stdout()).startsWith("HTTP/1.1 302");
        assertThat(userInfoArn(chosen.stdout())).isEqualTo("arn:aws:sts::" + FOREIGN + ":assumed-role/Exfil/alice");
    }

    @Test
    void samlWithADoctypeIsRefused() {
        String xml = FakeSamlIdp.responseXml("alice", List.of(FakeSamlIdp.roleValue(CORPORATE, "Operator")), Instant.now());
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + xml;

        CommandResult result = curl.run("-w", " %{http_code}", "--data-urlencode", "SAMLResponse="
                + Base64.getEncoder().encodeToString(xxe.getBytes(StandardCharsets.UTF_8)), "https://signin.aws.amazon.com/saml");

        assertThat(result.stdout()).endsWith(" 400");
    }

    @Test
    void iamUserAuthenticateAnswersJsonToScriptsAndKnowsOnlyConfiguredAliases() throws Exception {
        CommandResult page = curl.run("https://corp-prod.signin.aws.amazon.com/console");
        CommandResult byAlias = curl.run("-H", "Accept: application/json", "-d", "action=iam-user-authentication",
                "-d", "account=corp-prod", "-d", "username=alice", "-d", "password=x", SigninWireShapes.AUTHENTICATE_URL);
        CommandResult unknown = curl.run("-w", " %{http_code}", "-d", "action=iam-user-authentication", "-d", "account=nobody-knows",
                "-d", "username=alice", "-d", "password=x", SigninWireShapes.AUTHENTICATE_URL);

        assertThat(page.stdout()).contains("name=\"account\" value=\"corp-prod\"", "action=\"" + SigninWireShapes.AUTHENTICATE_URL + "\"");
        JsonNode json = JSON.readTree(byAlias.stdout());
        assertThat(json.path("state").asText()).isEqualTo("SUCCESS");
        assertThat(json.path("properties").path("result").asText()).isEqualTo("SUCCESS");
        assertThat(unknown.stdout()).endsWith(" 401");
    }

    @Test
    void rootFlowAsksForTheEmailThenThePasswordAndSignsInAsRoot() {
        origin.signin().rootEmail("owner@corp.example", CORPORATE);

        CommandResult emailPage = curl.run(SigninWireShapes.ROOT_SIGNIN_URL);
        CommandResult passwordPage = curl.run("-d", "action=" + SigninWireShapes.ROOT_RESOLVE_ACTION,
                "--data-urlencode", "email=owner@corp.example", SigninWireShapes.ROOT_SIGNIN_URL);
        CommandResult signedIn = curl.run("-i", "-H", "Accept: text/html", "-d", "action=" + SigninWireShapes.ROOT_AUTH_ACTION,
                "--data-urlencode", "email=owner@corp.example", "-d", "password=x", SigninWireShapes.AUTHENTICATE_URL);

        assertThat(emailPage.stdout()).contains("id=\"email_form\"");
        assertThat(passwordPage.stdout()).contains("name=\"action\" value=\"" + SigninWireShapes.ROOT_AUTH_ACTION + "\"");
        assertThat(userInfoArn(signedIn.stdout())).isEqualTo("arn:aws:iam::" + CORPORATE + ":root");
    }

    @Test
    void portalPageStartsASessionAndNamesItsApiEndpoints() {
        CommandResult awsapps = curl.run("-i", "https://corp.awsapps.com/start/");
        CommandResult appAws = curl.run("https://ssoins-1234567890abcdef.portal.us-west-2.app.aws/");

        assertThat(awsapps.stdout()).contains("Set-Cookie: x-amz-sso_authn=", "\"startUrl\":\"https://corp.awsapps.com/start\"",
                "\"portalApiEndpoint\":\"https://portal.sso.eu-west-1.amazonaws.com\"");
        assertThat(appAws.stdout()).contains("\"portalApiEndpoint\":\"https://portal.sso.us-west-2.amazonaws.com\"");
    }

    @Test
    void portalApiNeedsTheBearerHeaderAndAnswersTheCorsPreflight() {
        String url = "https://portal.sso.eu-west-1.amazonaws.com/instance/appinstances";

        CommandResult noToken = curl.run("-w", " %{http_code}", url);
        CommandResult preflight = curl.run("-i", "-X", "OPTIONS", "-H", "Origin: https://corp.awsapps.com",
                "-H", "Access-Control-Request-Headers: x-amz-sso_bearer_token", url);

        assertThat(noToken.stdout()).endsWith(" 401");
        assertThat(preflight.stdout()).startsWith("HTTP/1.1 204").contains("Access-Control-Allow-Origin: https://corp.awsapps.com",
                "Access-Control-Allow-Headers: x-amz-sso_bearer_token");
    }

    @Test
    void portalFederationConsoleAndRoleCredentialsNameTheRequestedAccount() throws Exception {
        String base = "https://portal.sso.eu-west-1.amazonaws.com";

        JsonNode console = JSON.readTree(curl.run("-H", "x-amz-sso_bearer_token: t", base
                + "/federation/console?account_id=" + FOREIGN + "&role_name=Admin").stdout());
        JsonNode credentials = JSON.readTree(curl.run("-H", "x-amz-sso_bearer_token: t", base
                + "/federation/credentials?account_id=" + FOREIGN + "&role_name=Admin").stdout());

        assertThat(console.path("signInFederationLocation").asText()).isEqualTo("https://eu-west-1.signin.aws.amazon.com/federation");
        assertThat(console.path("destination").asText()).startsWith("https://eu-west-1.console.aws.amazon.com/console/home");
        assertThat(origin.signin().issuedTokens().get(console.path("signInToken").asText()).account()).isEqualTo(FOREIGN);
        assertThat(AwsIdentities.accountOf(credentials.path("roleCredentials").path("accessKeyId").asText())).hasValue(FOREIGN);
    }

    @Test
    void oidcRegistersAClientAndStartsADeviceAuthorization() throws Exception {
        String base = "https://oidc.eu-west-1.amazonaws.com";

        JsonNode client = JSON.readTree(curl.run("-H", "Content-Type: application/json", "-d",
                "{\"clientName\":\"e2e\",\"clientType\":\"public\"}", base + "/client/register").stdout());
        JsonNode device = JSON.readTree(curl.run("-H", "Content-Type: application/json", "-d",
                "{\"clientId\":\"c\",\"clientSecret\":\"s\",\"startUrl\":\"https://corp.awsapps.com/start\"}",
                base + "/device_authorization").stdout());

        assertThat(client.path("clientId").asText()).isNotBlank();
        assertThat(client.path("clientSecretExpiresAt").asLong()).isGreaterThan(client.path("clientIdIssuedAt").asLong());
        assertThat(device.path("verificationUriComplete").asText())
                .startsWith("https://device.sso.eu-west-1.amazonaws.com/?user_code=");
        assertThat(origin.lastRequest().orElseThrow().bodyText()).contains("\"startUrl\":\"https://corp.awsapps.com/start\"");
    }

    private static String userInfoArn(String responseWithHeaders) {
        for (String line : responseWithHeaders.split("\r\n")) {
            if (line.startsWith("Set-Cookie: aws-userInfo=")) {
                String value = line.substring("Set-Cookie: aws-userInfo=".length(), line.indexOf(';'));
                String json = URLDecoder.decode(value, StandardCharsets.UTF_8);
                return json.replaceAll(".*\"arn\":\"([^\"]*)\".*", "$1");
            }
        }
        throw new AssertionError("no aws-userInfo cookie in: " + responseWithHeaders);
    }
}
