package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.CORP;
import static io.sekisho.policy.signin.SigninFixtures.CORP2;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.allow;
import static io.sekisho.policy.signin.SigninFixtures.decideRow;
import static io.sekisho.policy.signin.SigninFixtures.deny;
import static io.sekisho.policy.signin.SigninFixtures.form;
import static io.sekisho.policy.signin.SigninFixtures.get;
import static io.sekisho.policy.signin.SigninFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.Verdict;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 5 point 4: IAM-user sign-in by account ID or alias, and root sign-in. */
class AccountSigninTest {
    private static final String AUTHENTICATE = "https://signin.aws.amazon.com/authenticate";
    private static final String PASSWORD = "Winter2026!-not-logged";

    private final SigninInspector inspector = SigninFixtures.inspector(new InMemorySigninTokenStore(),
            new SigninFixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

    static Stream<Arguments> iamUser() {
        return Stream.of(
                allow("sign-in page of a company account ID", get("https://" + CORP + ".signin.aws.amazon.com/console"), "iam-user", CORP),
                deny("sign-in page of a foreign account ID", get("https://" + FOREIGN + ".signin.aws.amazon.com/console"), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "iam-user", FOREIGN),
                allow("sign-in page of a configured alias", get("https://corp-prod.signin.aws.amazon.com/console"), "iam-user", CORP),
                allow("sign-in page of a configured alias, upper case", get("https://CORP-DEV.signin.aws.amazon.com/console"), "iam-user", CORP2),
                deny("sign-in page of an unknown alias", get("https://my-home-lab.signin.aws.amazon.com/console"), Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, "iam-user", ""),
                allow("alias on a regional sign-in host", get("https://corp-prod.eu-west-1.signin.aws.amazon.com/console"), "iam-user", CORP),
                deny("foreign ID on a regional sign-in host", get("https://" + FOREIGN + ".eu-west-1.signin.aws.amazon.com/console"), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "iam-user", FOREIGN),
                deny("sign-in host with more labels than any known form", get("https://a.b.signin.aws.amazon.com/console"), Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, "iam-user", ""),
                deny("GovCloud sign-in page of a foreign account ID", get("https://" + FOREIGN + ".signin.amazonaws-us-gov.com/console"), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "iam-user", FOREIGN),
                deny("China sign-in page of an unknown alias", get("https://home.signin.amazonaws.cn/console"), Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, "iam-user", ""),
                allow("regional sign-in host is not an alias", get("https://us-east-1.signin.aws.amazon.com/oauth?client_id=arn%3Aaws%3Asignin%3A%3A%3Aconsole%2Fcanvas&response_type=code"), "", ""),
                allow("credential post, company account ID", form(AUTHENTICATE, authenticate(CORP)), "iam-user", CORP),
                deny("credential post, foreign account ID", form(AUTHENTICATE, authenticate(FOREIGN)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "iam-user", FOREIGN),
                deny("credential post, foreign account ID typed with dashes", form(AUTHENTICATE, authenticate("9999-8888-7777")), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "iam-user", FOREIGN),
                allow("credential post, configured alias", form(AUTHENTICATE, authenticate("corp-prod")), "iam-user", CORP),
                deny("credential post, unknown alias", form(AUTHENTICATE, authenticate("my-home-lab")), Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, "iam-user", ""),
                deny("credential post on the company alias host naming a foreign account", form("https://corp-prod.signin.aws.amazon.com/authenticate", authenticate(FOREIGN)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "iam-user", FOREIGN),
                deny("credential post naming two accounts", form(AUTHENTICATE, authenticate(CORP) + "&account=" + FOREIGN), Reason.AWS_CREDENTIAL_CONFLICT, "", ""),
                deny("account in the query, company in the body", form(AUTHENTICATE + "?account=" + FOREIGN, authenticate(CORP)), Reason.AWS_CREDENTIAL_CONFLICT, "", ""),
                deny("older console link with iam_user=true&account=", get("https://signin.aws.amazon.com/oauth?iam_user=true&account=" + FOREIGN + "&redirect_uri=x"), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "iam-user", FOREIGN),
                allow("console switch role into a company account", get("https://signin.aws.amazon.com/switchrole?account=" + CORP2 + "&roleName=ReadOnly&displayName=dev"), "console", CORP2),
                deny("console switch role into a foreign account", get("https://signin.aws.amazon.com/switchrole?account=" + FOREIGN + "&roleName=Exfil"), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "console", FOREIGN),
                deny("console switch role post, unknown alias", form("https://signin.aws.amazon.com/switchrole", "account=my-home-lab&roleName=Exfil&action=switchFromBasis"), Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, "console", ""),
                allow("sign-in landing page: no account yet", get("https://signin.aws.amazon.com/signin?redirect_uri=https%3A%2F%2Fconsole.aws.amazon.com%2F"), "", ""),
                allow("static asset", get("https://signin.aws.amazon.com/static/js/app.js"), "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("iamUser")
    void iamUserSignin(String name, RequestFacts facts, Verdict v, Reason r, String flow, String principal) {
        decideRow(inspector, facts, v, r, flow, principal);
    }

    static Stream<Arguments> root() {
        return Stream.of(
                deny("e-mail step of the sign-in page", form("https://signin.aws.amazon.com/signin", "action=resolveAccountType&email=me%40home.example&redirect_uri=x"), Reason.AWS_ROOT_SIGNIN, "root", ""),
                allow("e-mail step for a listed break-glass address", form("https://signin.aws.amazon.com/signin", "action=resolveAccountType&email=break-glass%40corp.example"), "root", ""),
                allow("listed address in other case", form("https://signin.aws.amazon.com/signin", "email=Break-Glass%40CORP.example"), "root", ""),
                deny("password step, action=authenticateRoot", form("https://signin.aws.amazon.com/mfa", "action=authenticateRoot&email=me%40home.example&password=x"), Reason.AWS_ROOT_SIGNIN, "root", ""),
                deny("authenticateRoot without an e-mail, even if one is allowed", form("https://signin.aws.amazon.com/mfa", "action=authenticateRoot&password=x"), Reason.AWS_ROOT_SIGNIN, "root", ""),
                deny("return leg of the Amazon-coupled root flow", get("https://signin.aws.amazon.com/oauth?coupled_root=true&response_type=code&client_id=x"), Reason.AWS_ROOT_SIGNIN, "root", ""),
                deny("e-mail in a JSON body", json("https://signin.aws.amazon.com/signin", "{\"email\":\"me@home.example\"}"), Reason.AWS_ROOT_SIGNIN, "root", ""),
                deny("account sign-up asks for the root e-mail", form("https://signin.aws.amazon.com/signup", "email=new%40home.example&accountName=x"), Reason.AWS_ROOT_SIGNIN, "root", ""),
                deny("e-mail on a regional sign-in host", form("https://eu-west-1.signin.aws.amazon.com/signin", "email=me%40home.example"), Reason.AWS_ROOT_SIGNIN, "root", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("root")
    void rootSignin(String name, RequestFacts facts, Verdict v, Reason r, String flow, String principal) {
        Decision d = decideRow(inspector, facts, v, r, flow, principal);
        assertThat(d.rule()).isEqualTo("aws.signin.root.allow");
    }

    @Test
    void identityCenterPagesOnTheSigninHostsAreNotTakenForRoot() {
        Decision d = inspector.decide(form("https://us-east-1.signin.aws.amazon.com/platform/login",
                "email=alice%40corp.example&password=x"), HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.evidence().flow()).isEmpty();
    }

    @Test
    void thePasswordNeverReachesTheDecision() {
        Decision d = inspector.decide(form(AUTHENTICATE, authenticate(FOREIGN)), HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.toString()).doesNotContain(PASSWORD);
        assertThat(d.rule()).isEqualTo("aws.accounts.allow");
    }

    @Test
    void anUnknownAliasNamesTheAliasRule() {
        Decision d = inspector.decide(get("https://my-home-lab.signin.aws.amazon.com/console"), HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.rule()).isEqualTo("aws.accounts.aliases");
    }

    /** The IAM-user credential post of public tools (aws-wire-facts §4.3). */
    private static String authenticate(String account) {
        return "action=iam-user-authentication&account=" + account + "&username=alice&password="
                + SigninFixtures.enc(PASSWORD) + "&client_id=arn%3Aaws%3Asignin%3A%3A%3Aconsole%2Fcanvas"
                + "&redirect_uri=https%3A%2F%2Fconsole.aws.amazon.com%2Fconsole%2Fhome";
    }
}
