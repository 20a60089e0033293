package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.CORP_INSTANCE;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN_INSTANCE;
import static io.sekisho.policy.signin.SigninFixtures.allow;
import static io.sekisho.policy.signin.SigninFixtures.decideRow;
import static io.sekisho.policy.signin.SigninFixtures.deny;
import static io.sekisho.policy.signin.SigninFixtures.get;
import static io.sekisho.policy.signin.SigninFixtures.post;

import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.Verdict;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15 points 3 and 9: {@code aws.identityCenter.startUrls} governs every host form and
 * both OIDC fields, whatever the header case, duplicates or encoding. The PKCE rows
 * (RegisterClient with {@code issuerUrl}, CLI ≥ 2.22) and the vanity rows (CLI 2.35.13
 * {@code customizations/sso/resolve.py}: a start URL outside AWS's domains is resolved by one
 * redirect and the resolved, AWS-owned URL is what the CLI sends) are reconstructed from the
 * CLI's source, not captured: Debian's CLI 2.9 runs only the device flow (AwsSsoLoginCliTest).
 */
class IdentityCenterVariantsTest {
    private static final String CORP = "https://corp-example.awsapps.com/start";
    private static final String PERSONAL = "https://personal-home.awsapps.com/start";
    private final SigninInspector inspector = SigninFixtures.inspector(new InMemorySigninTokenStore(),
            new SigninFixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

    static Stream<Arguments> variants() {
        String dual = "https://oidc.eu-west-1.api.aws";
        return Stream.of(
                allow("dual-stack OIDC, PKCE RegisterClient, company issuerUrl", register(dual, CORP), "oidc", ""),
                deny("dual-stack OIDC, PKCE RegisterClient, personal issuerUrl", register(dual, PERSONAL),
                        Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                deny("dual-stack OIDC, device startUrl, personal", device(dual, PERSONAL), Reason.AWS_PORTAL_NOT_ALLOWED,
                        "oidc", ""),
                deny("Content-Type upper case", post(dual + "/device_authorization", "APPLICATION/JSON",
                        deviceBody(PERSONAL)), Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                deny("header names upper case", post(dual + "/client/register", "application/json",
                        registerBody(PERSONAL), "CONTENT-ENCODING", "identity"), Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                deny("escaped member name", post(dual + "/client/register", "application/json",
                        "{\"\\u0069ssuerUrl\":\"" + PERSONAL + "\"}"), Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                deny("escaped slashes in the URL", post(dual + "/device_authorization", "application/json",
                        "{\"startUrl\":\"https:\\/\\/personal-home.awsapps.com\\/start\"}"), Reason.AWS_PORTAL_NOT_ALLOWED,
                        "oidc", ""),
                deny("issuerUrl twice (company, personal)", post(dual + "/client/register", "application/json",
                        "{\"issuerUrl\":\"" + CORP + "\",\"issuerUrl\":\"" + PERSONAL + "\"}"), Reason.BODY_MALFORMED,
                        "oidc", ""),
                allow("host upper case with a trailing dot", register("https://OIDC.EU-WEST-1.API.AWS.", CORP), "oidc", ""),
                allow("start URL host upper case", device(dual, "https://CORP-EXAMPLE.AWSAPPS.COM/start"), "oidc", ""),
                deny("start URL with userinfo naming the company", device(dual,
                        "https://corp-example.awsapps.com@personal-home.awsapps.com/start"), Reason.AWS_PORTAL_NOT_ALLOWED,
                        "oidc", ""),
                allow("vanity URL resolved to the company instance (resolve.py)", register(dual,
                        "https://" + CORP_INSTANCE + ".portal.eu-west-1.app.aws"), "oidc", ""),
                deny("vanity URL resolved to a personal instance (resolve.py)", register(dual,
                        "https://" + FOREIGN_INSTANCE + ".portal.eu-west-1.app.aws"), Reason.AWS_PORTAL_NOT_ALLOWED,
                        "oidc", ""),
                deny("a vanity URL itself names no listed instance", device(dual, "https://sso.personal.example/start"),
                        Reason.AWS_PORTAL_NOT_ALLOWED, "oidc", ""),
                allow("regional portal.amazonaws.com form, company", get("https://" + CORP_INSTANCE
                        + ".eu-west-1.portal.amazonaws.com/"), "portal", ""),
                deny("app.aws form, foreign, upper case", get("https://" + FOREIGN_INSTANCE.toUpperCase()
                        + ".PORTAL.EU-WEST-1.APP.AWS/"), Reason.AWS_PORTAL_NOT_ALLOWED, "portal", ""),
                deny("issuer host, foreign instance, encoded path", get("https://identitycenter.amazonaws.com/"
                        + FOREIGN_INSTANCE + "/%61"), Reason.AWS_PORTAL_NOT_ALLOWED, "portal", ""),
                deny("dual-stack portal API, account_id twice", get("https://portal.sso.eu-west-1.api.aws"
                        + "/federation/credentials?account_id=111122223333&account_id=" + FOREIGN + "&role_name=A"),
                        Reason.AWS_CREDENTIAL_CONFLICT, "portal", ""),
                deny("dual-stack portal API, foreign account, encoded", get("https://portal.sso.eu-west-1.api.aws"
                        + "/federation/credentials?account%5Fid=" + FOREIGN + "&role_name=A"),
                        Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "portal", FOREIGN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyFormIsJudgedByTheStartUrls(String name, RequestFacts facts, Verdict v, Reason r, String flow,
            String principal) {
        decideRow(inspector, facts, v, r, flow, principal);
    }

    private static RequestFacts register(String oidc, String issuer) {
        return post(oidc + "/client/register", "application/json", registerBody(issuer));
    }

    private static RequestFacts device(String oidc, String startUrl) {
        return post(oidc + "/device_authorization", "application/json", deviceBody(startUrl));
    }

    /** The PKCE RegisterClient body of CLI ≥ 2.22 (botocore SSOTokenFetcher, aws-wire-facts §3.3). */
    private static String registerBody(String issuer) {
        return "{\"clientName\":\"botocore-client-1\",\"clientType\":\"public\",\"scopes\":[\"sso:account:access\"],"
                + "\"grantTypes\":[\"authorization_code\",\"refresh_token\"],"
                + "\"redirectUris\":[\"http://127.0.0.1/oauth/callback\"],\"issuerUrl\":\"" + issuer + "\"}";
    }

    private static String deviceBody(String startUrl) {
        return "{\"clientId\":\"cid\",\"clientSecret\":\"cs\",\"startUrl\":\"" + startUrl + "\"}";
    }
}
