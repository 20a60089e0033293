package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.CORP;
import static io.sekisho.policy.signin.SigninFixtures.CORP_INSTANCE;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN_INSTANCE;
import static io.sekisho.policy.signin.SigninFixtures.allow;
import static io.sekisho.policy.signin.SigninFixtures.decideRow;
import static io.sekisho.policy.signin.SigninFixtures.deny;
import static io.sekisho.policy.signin.SigninFixtures.get;
import static io.sekisho.policy.signin.SigninFixtures.json;
import static io.sekisho.policy.signin.SigninFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.Verdict;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.aws.credentials.AccountResolver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 5 point 1: portal hosts, the portal API and OIDC (aws-wire-facts §3). */
class IdentityCenterTest {
    private final SigninInspector inspector = SigninFixtures.inspector(new InMemorySigninTokenStore(),
            new SigninFixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

    static Stream<Arguments> portalHosts() {
        return Stream.of(
                portal("company alias portal", "https://corp-example.awsapps.com/start", Verdict.ALLOW, "corp-example.awsapps.com"),
                portal("company alias portal, trailing slash and deep path", "https://corp-example.awsapps.com/start/", Verdict.ALLOW, "corp-example.awsapps.com"),
                portal("company alias portal, upper-case host", "https://CORP-EXAMPLE.awsapps.com./start", Verdict.ALLOW, "corp-example.awsapps.com"),
                portal("foreign alias portal", "https://personal-home.awsapps.com/start", Verdict.DENY, "personal-home.awsapps.com"),
                portal("foreign directory-id portal", "https://d-9067123456.awsapps.com/start", Verdict.DENY, "d-9067123456.awsapps.com"),
                portal("sub-label under the company alias is another name", "https://x.corp-example.awsapps.com/start", Verdict.DENY, "x.corp-example.awsapps.com"),
                portal("company instance, app.aws portal", "https://" + CORP_INSTANCE + ".portal.eu-west-1.app.aws/", Verdict.ALLOW, CORP_INSTANCE),
                portal("foreign instance, app.aws portal", "https://" + FOREIGN_INSTANCE + ".portal.eu-west-1.app.aws/", Verdict.DENY, FOREIGN_INSTANCE),
                portal("company instance, regional portal.amazonaws.com", "https://" + CORP_INSTANCE + ".us-east-1.portal.amazonaws.com/", Verdict.ALLOW, CORP_INSTANCE),
                portal("foreign instance, regional portal.amazonaws.com", "https://" + FOREIGN_INSTANCE + ".us-east-1.portal.amazonaws.com/", Verdict.DENY, FOREIGN_INSTANCE),
                portal("company instance, China portal", "https://" + CORP_INSTANCE + ".cn-north-1.portal.amazonaws.com.cn/", Verdict.ALLOW, CORP_INSTANCE),
                portal("foreign instance, China portal", "https://" + FOREIGN_INSTANCE + ".cn-north-1.portal.amazonaws.com.cn/", Verdict.DENY, FOREIGN_INSTANCE),
                portal("foreign instance, EU sovereign portal", "https://" + FOREIGN_INSTANCE + ".eusc-de-east-1.portal.amazonaws.eu/", Verdict.DENY, FOREIGN_INSTANCE),
                portal("foreign alias, China awsapps.cn", "https://home.awsapps.cn/start", Verdict.DENY, "home.awsapps.cn"),
                portal("company issuer URL", "https://identitycenter.amazonaws.com/" + CORP_INSTANCE, Verdict.ALLOW, CORP_INSTANCE),
                portal("foreign issuer URL", "https://identitycenter.amazonaws.com/" + FOREIGN_INSTANCE + "/x", Verdict.DENY, FOREIGN_INSTANCE),
                portal("foreign issuer URL, GovCloud", "https://identitycenter.us-gov.amazonaws.com/" + FOREIGN_INSTANCE, Verdict.DENY, FOREIGN_INSTANCE),
                portal("issuer host without an instance: no evidence", "https://identitycenter.amazonaws.com/", Verdict.ALLOW, ""),
                portal("company GovCloud directory on the shared host", "https://start.us-gov-home.awsapps.com/directory/d-9067aaaaaa/", Verdict.ALLOW, "start.us-gov-home.awsapps.com/directory/d-9067aaaaaa"),
                portal("foreign GovCloud directory on the shared host", "https://start.us-gov-home.awsapps.com/directory/d-9067bbbbbb", Verdict.DENY, "start.us-gov-home.awsapps.com/directory/d-9067bbbbbb"),
                portal("GovCloud shared host, no directory in path: no evidence", "https://start.us-gov-home.awsapps.com/assets/app.js", Verdict.ALLOW, ""));
    }

    private static Arguments portal(String name, String url, Verdict v, String instance) {
        return Arguments.of(name, get(url), v, instance);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("portalHosts")
    void portalHostsAreCheckedAgainstTheStartUrls(String name, RequestFacts facts, Verdict verdict, String instance) {
        Decision d = decideRow(inspector, facts, verdict,
                verdict == Verdict.ALLOW ? Reason.AWS_SIGNIN_ALLOWED : Reason.AWS_PORTAL_NOT_ALLOWED, "portal", "");
        assertThat(d.evidence().identityCenterInstance()).isEqualTo(instance);
        assertThat(d.rule()).isEqualTo(instance.isEmpty() ? "" : "aws.identityCenter.startUrls");
    }

    static Stream<Arguments> portalApi() {
        String api = "https://portal.sso.us-east-1.amazonaws.com";
        return Stream.of(
                allow("federation/console, company account", get(api + "/federation/console?account_id=" + CORP + "&role_name=Admin"), "portal", CORP),
                deny("federation/console, foreign account", get(api + "/federation/console?account_id=" + FOREIGN + "&role_name=Admin"), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "portal", FOREIGN),
                allow("federation/credentials, company account (corpus awscli-v2)", get(api + "/federation/credentials?role_name=ReadOnly&account_id=" + CORP, "x-amz-sso_bearer_token", "fake-access-token"), "portal", CORP),
                deny("federation/credentials, foreign account (corpus awscli-v1)", get(api + "/federation/credentials?role_name=ReadOnly&account_id=" + FOREIGN, "x-amz-sso_bearer_token", "fake-access-token"), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "portal", FOREIGN),
                deny("assignment/roles, foreign account", get(api + "/assignment/roles?account_id=" + FOREIGN + "&max_result=10"), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "portal", FOREIGN),
                allow("assignment/roles, company account", get(api + "/assignment/roles?account_id=" + CORP), "portal", CORP),
                allow("assignment/accounts: no account named", get(api + "/assignment/accounts"), "portal", ""),
                allow("user: no account named", get(api + "/user"), "portal", ""),
                deny("account_id that is not an account ID", get(api + "/federation/console?account_id=abc"), Reason.BAD_REQUEST, "portal", ""),
                deny("account_id twice, company then foreign", get(api + "/federation/console?account_id=" + CORP + "&account_id=" + FOREIGN), Reason.AWS_CREDENTIAL_CONFLICT, "portal", ""),
                deny("FIPS portal host, foreign account", get("https://portal.sso-fips.us-east-1.amazonaws.com/federation/credentials?account_id=" + FOREIGN), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "portal", FOREIGN),
                deny("dual-stack portal host, foreign account", get("https://portal.sso.eu-west-1.api.aws/federation/console?account_id=" + FOREIGN), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "portal", FOREIGN),
                deny("China portal host, foreign account", get("https://portal.sso.cn-north-1.amazonaws.com.cn/federation/console?account_id=" + FOREIGN), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "portal", FOREIGN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("portalApi")
    void portalApiAccountIdMustBeAllowed(String name, RequestFacts facts, Verdict v, Reason r, String flow, String principal) {
        Decision d = decideRow(inspector, facts, v, r, flow, principal);
        assertThat(d.evidence().protocol()).isEqualTo(AwsProtocol.JSON);
    }

    static Stream<Arguments> oidc() {
        String oidc = "https://oidc.us-east-1.amazonaws.com";
        return Stream.of(
                allow("register client, company issuerUrl", json(oidc + "/client/register", registerBody("https://corp-example.awsapps.com/start")), "oidc", ""),
                allow("register client, company issuer form", json(oidc + "/client/register", registerBody("https://identitycenter.amazonaws.com/" + CORP_INSTANCE)), "oidc", ""),
                deny("register client, foreign issuerUrl", json(oidc + "/client/register", registerBody("https://personal-home.awsapps.com/start")), Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                deny("register client, foreign issuer form", json(oidc + "/client/register", registerBody("https://identitycenter.amazonaws.com/" + FOREIGN_INSTANCE)), Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                allow("register client without issuerUrl (corpus device flow)", json(oidc + "/client/register", "{\"clientName\": \"corpus\", \"clientType\": \"public\"}"), "oidc", ""),
                allow("device authorization, company startUrl (corpus)", json(oidc + "/device_authorization", deviceBody("https://corp-example.awsapps.com/start")), "oidc", ""),
                allow("device authorization, company app.aws portal", json(oidc + "/device_authorization", deviceBody("https://" + CORP_INSTANCE + ".portal.us-east-1.app.aws")), "oidc", ""),
                deny("device authorization, foreign startUrl", json(oidc + "/device_authorization", deviceBody("https://personal-home.awsapps.com/start")), Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                deny("device authorization, foreign app.aws portal", json(oidc + "/device_authorization", deviceBody("https://" + FOREIGN_INSTANCE + ".portal.us-east-1.app.aws")), Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                deny("device authorization, startUrl not an https URL", json(oidc + "/device_authorization", deviceBody("corp-example.awsapps.com")), Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                deny("device authorization without startUrl", json(oidc + "/device_authorization", "{\"clientId\":\"c\",\"clientSecret\":\"s\"}"), Reason.BODY_MALFORMED, "oidc", ""),
                deny("device authorization, startUrl twice (company, foreign)", json(oidc + "/device_authorization", "{\"startUrl\":\"https://corp-example.awsapps.com/start\",\"startUrl\":\"https://personal-home.awsapps.com/start\"}"), Reason.BODY_MALFORMED, "oidc", ""),
                deny("device authorization, body not JSON", json(oidc + "/device_authorization", "startUrl=https://corp-example.awsapps.com/start&x"), Reason.BODY_MALFORMED, "oidc", ""),
                deny("device authorization, truncated body", truncated(json(oidc + "/device_authorization", deviceBody("https://corp-example.awsapps.com/start"))), Reason.BODY_TOO_LARGE_TO_INSPECT, "oidc", ""),
                deny("FIPS OIDC host, foreign startUrl", json("https://oidc-fips.us-gov-west-1.amazonaws.com/device_authorization", deviceBody("https://personal-home.awsapps.com/start")), Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                allow("create token (corpus device flow)", json(oidc + "/token", "{\"grantType\": \"urn:ietf:params:oauth:grant-type:device_code\", \"clientId\": \"corpus-client-id\", \"clientSecret\": \"corpus-client-secret\", \"deviceCode\": \"corpus-device-code\"}"), "oidc", ""),
                allow("authorize redirect (browser, PKCE)", get(oidc + "/authorize?response_type=code&client_id=abc&redirect_uri=http%3A%2F%2F127.0.0.1%3A4711%2Foauth%2Fcallback&state=1&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge=xyz"), "oidc", ""),
                deny("CreateTokenWithIAM signed with a foreign key", post(oidc + "/token?aws_iam=t", "application/json", "{\"assertion\":\"x\"}",
                        "Authorization", "AWS4-HMAC-SHA256 Credential=" + SigninFixtures.ASIA_FOREIGN + "/20260101/us-east-1/sso-oauth/aws4_request, SignedHeaders=host, Signature=abc"),
                        Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "oidc", FOREIGN),
                allow("device verification page", get("https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH"), "oidc", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oidc")
    void oidcStartAndIssuerUrlsMustNameAnAllowedInstance(String name, RequestFacts facts, Verdict v, Reason r, String flow,
            String principal) {
        decideRow(inspector, facts, v, r, flow, principal);
    }

    @Test
    void oidcDecisionNamesTheInstanceItSaw() {
        Decision d = inspector.decide(json("https://oidc.us-east-1.amazonaws.com/device_authorization",
                deviceBody("https://" + FOREIGN_INSTANCE + ".portal.us-east-1.app.aws")), io.sekisho.policy.HostClass.AWS_API);
        assertThat(d.evidence().identityCenterInstance()).isEqualTo(FOREIGN_INSTANCE);
        assertThat(d.rule()).isEqualTo("aws.identityCenter.startUrls");
    }

    @Test
    void withoutAnyStartUrlEveryPortalIsForeign() {
        AwsSettings s = new AwsSettings(SigninFixtures.SETTINGS.accounts(), Map.of(), false, List.of(), List.of(),
                List.of(), List.of());
        SigninInspector noPortal = new SigninInspector(s, new InMemorySigninTokenStore(), java.time.Clock.systemUTC(),
                new AccountResolver(Map.of(), KeyLookup.NONE));
        assertThat(noPortal.decide(get("https://corp-example.awsapps.com/start"), io.sekisho.policy.HostClass.AWS_SIGNIN_CONSOLE)
                .reason()).isEqualTo(Reason.AWS_PORTAL_NOT_ALLOWED);
    }

    @Test
    void aStartUrlThatNamesNoInstanceIsAConfigurationError() {
        AwsSettings s = new AwsSettings(SigninFixtures.SETTINGS.accounts(), Map.of(), false, List.of(), List.of(),
                List.of("https://identitycenter.amazonaws.com/"), List.of());
        assertThatThrownBy(() -> new SigninInspector(s, new InMemorySigninTokenStore(), java.time.Clock.systemUTC(),
                new AccountResolver(Map.of(), KeyLookup.NONE))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("identitycenter.amazonaws.com");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("startUrls")
    void startUrlValidation(String url, boolean valid) {
        assertThat(SigninInspector.namesIdentityCenterInstance(url)).isEqualTo(valid);
    }

    static Stream<Arguments> startUrls() {
        return Stream.of(
                Arguments.of("https://examplebank.awsapps.com/start", true),
                Arguments.of("https://" + CORP_INSTANCE + ".portal.eu-west-1.app.aws", true),
                Arguments.of("https://identitycenter.amazonaws.com/" + CORP_INSTANCE, true),
                Arguments.of("https://aws.examplebank.example", true),
                Arguments.of("https://identitycenter.amazonaws.com/", false),
                Arguments.of("https://identitycenter.amazonaws.com/not-an-instance", false),
                Arguments.of("https://start.us-gov-home.awsapps.com/", false),
                Arguments.of("http://examplebank.awsapps.com/start", false),
                Arguments.of("examplebank.awsapps.com/start", false),
                Arguments.of("https://exa mple.awsapps.com/start", false));
    }

    private static String registerBody(String issuer) {
        return "{\"clientName\":\"botocore-client-1\",\"clientType\":\"public\",\"scopes\":[\"sso:account:access\"],"
                + "\"grantTypes\":[\"authorization_code\",\"refresh_token\"],"
                + "\"redirectUris\":[\"http://127.0.0.1/oauth/callback\"],\"issuerUrl\":\"" + issuer + "\"}";
    }

    private static String deviceBody(String startUrl) {
        return "{\"clientId\": \"corpus-client-id\", \"clientSecret\": \"corpus-client-secret\", \"startUrl\": \""
                + startUrl + "\"}";
    }

    static RequestFacts truncated(RequestFacts f) {
        return f.withBody(f.body(), false);
    }
}
