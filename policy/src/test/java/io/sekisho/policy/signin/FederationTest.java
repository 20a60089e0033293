package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.AKIA_CORP2;
import static io.sekisho.policy.signin.SigninFixtures.AKIA_OLD;
import static io.sekisho.policy.signin.SigninFixtures.AKIA_OLD_MAPPED;
import static io.sekisho.policy.signin.SigninFixtures.ASIA_CORP;
import static io.sekisho.policy.signin.SigninFixtures.ASIA_FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.CORP;
import static io.sekisho.policy.signin.SigninFixtures.CORP2;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.allow;
import static io.sekisho.policy.signin.SigninFixtures.decideRow;
import static io.sekisho.policy.signin.SigninFixtures.deny;
import static io.sekisho.policy.signin.SigninFixtures.enc;
import static io.sekisho.policy.signin.SigninFixtures.form;
import static io.sekisho.policy.signin.SigninFixtures.get;
import static io.sekisho.policy.signin.SigninFixtures.getSigninTokenQuery;
import static io.sekisho.policy.signin.SigninFixtures.post;
import static io.sekisho.policy.signin.SigninFixtures.session;
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

/** Issue 5 point 2, request side: getSigninToken's session key and the shape of login requests. */
class FederationTest {
    private final SigninInspector inspector = SigninFixtures.inspector(new InMemorySigninTokenStore(),
            new SigninFixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

    static Stream<Arguments> federation() {
        String global = "https://signin.aws.amazon.com/federation";
        String regional = "https://eu-west-1.signin.aws.amazon.com/federation";
        return Stream.of(
                allow("getSigninToken GET, company session (aws-vault, granted)", get(global + "?" + getSigninTokenQuery(ASIA_CORP)), "federation", CORP),
                allow("getSigninToken GET, regional endpoint, company session", get(regional + "?" + getSigninTokenQuery(ASIA_CORP)), "federation", CORP),
                deny("getSigninToken GET, foreign session", get(global + "?" + getSigninTokenQuery(ASIA_FOREIGN)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("getSigninToken GET, regional endpoint, foreign session", get(regional + "?" + getSigninTokenQuery(ASIA_FOREIGN)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                allow("getSigninToken form POST, company session (aws-sso-util)", form(regional, getSigninTokenQuery(ASIA_CORP)), "federation", CORP),
                deny("getSigninToken form POST, foreign session", form(regional, getSigninTokenQuery(ASIA_FOREIGN)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("getSigninToken: action in query, foreign session in the body", form(global + "?Action=getSigninToken", "Session=" + enc(session(ASIA_FOREIGN))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("getSigninToken: company session in query, foreign in body", form(global + "?" + getSigninTokenQuery(ASIA_CORP), "Session=" + enc(session(ASIA_FOREIGN))), Reason.AWS_CREDENTIAL_CONFLICT, "federation", ""),
                allow("getSigninToken, long-term key of the second company account", get(global + "?" + getSigninTokenQuery(AKIA_CORP2)), "federation", CORP2),
                deny("getSigninToken, old-format key", get(global + "?" + getSigninTokenQuery(AKIA_OLD)), Reason.AWS_KEY_UNRESOLVABLE, "federation", ""),
                allow("getSigninToken, old-format key in aws.keys", get(global + "?" + getSigninTokenQuery(AKIA_OLD_MAPPED)), "federation", CORP),
                deny("getSigninToken, GovCloud endpoint, foreign session", get("https://signin.amazonaws-us-gov.com/federation?" + getSigninTokenQuery(ASIA_FOREIGN)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("getSigninToken, GovCloud regional endpoint, foreign session", get("https://us-gov-west-1.signin.amazonaws-us-gov.com/federation?" + getSigninTokenQuery(ASIA_FOREIGN)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("getSigninToken, China endpoint, foreign session", get("https://signin.amazonaws.cn/federation?" + getSigninTokenQuery(ASIA_FOREIGN)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("getSigninToken, action in other case", get(global + "?Action=GETSIGNINTOKEN&Session=" + enc(session(ASIA_FOREIGN))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("getSigninToken, parameter names in other case", get(global + "?action=getSigninToken&session=" + enc(session(ASIA_FOREIGN))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("bare Session on /federation counts as getSigninToken", get(global + "?Session=" + enc(session(ASIA_FOREIGN))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("path /Federation/ (case, trailing slash)", get("https://signin.aws.amazon.com/Federation/?" + getSigninTokenQuery(ASIA_FOREIGN)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("path /%66ederation (escaped)", get("https://signin.aws.amazon.com/%66ederation?Session=" + enc(session(ASIA_FOREIGN))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("path /x/../federation;jsessionid=1 (dot segment, path parameter)", get("https://signin.aws.amazon.com/x/../federation;jsessionid=1?Session=" + enc(session(ASIA_FOREIGN))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("getSigninToken on another path is still checked", get("https://signin.aws.amazon.com/oauth?" + getSigninTokenQuery(ASIA_FOREIGN)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "federation", FOREIGN),
                deny("Session that is not JSON", get(global + "?Action=getSigninToken&Session=" + enc("sessionId=" + ASIA_CORP)), Reason.AWS_CREDENTIAL_MALFORMED, "federation", ""),
                deny("Session without sessionId", get(global + "?Action=getSigninToken&Session=" + enc("{\"sessionKey\":\"k\"}")), Reason.AWS_CREDENTIAL_MALFORMED, "federation", ""),
                deny("Session with sessionId twice (company, foreign)", get(global + "?Action=getSigninToken&Session=" + enc("{\"sessionId\":\"" + ASIA_CORP + "\",\"sessionId\":\"" + ASIA_FOREIGN + "\"}")), Reason.AWS_CREDENTIAL_MALFORMED, "federation", ""),
                deny("getSigninToken without Session", get(global + "?Action=getSigninToken"), Reason.AWS_CREDENTIAL_MALFORMED, "federation", ""),
                deny("malformed percent-escape in the query", get(global + "?Action=getSigninToken&Session=%7"), Reason.BAD_REQUEST, "federation", ""),
                deny("/federation without an action", get(global), Reason.BAD_REQUEST, "federation", ""),
                deny("/federation with an action Sekisho does not know", get(global + "?Action=logout"), Reason.BAD_REQUEST, "federation", ""),
                deny("login with a token this proxy never saw issued", get(global + "?Action=login&Issuer=https%3A%2F%2Fhome.example&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=made-at-home"), Reason.AWS_SIGNIN_TOKEN_UNKNOWN, "federation", ""),
                deny("login without a token", get(global + "?Action=login&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F"), Reason.AWS_SIGNIN_TOKEN_UNKNOWN, "federation", ""),
                deny("SigninToken on another path is still checked", get("https://signin.aws.amazon.com/console?SigninToken=made-at-home"), Reason.AWS_SIGNIN_TOKEN_UNKNOWN, "federation", ""),
                deny("session and sign-in token in one request", get(global + "?" + getSigninTokenQuery(ASIA_CORP) + "&SigninToken=x"), Reason.AWS_CREDENTIAL_CONFLICT, "federation", ""),
                deny("multipart body to /federation", post(global, "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"Session\"\r\n\r\nx\r\n--b--\r\n"), Reason.BODY_MALFORMED, "federation", ""),
                deny("compressed body to /federation", post(global, "application/x-www-form-urlencoded", "x", "Content-Encoding", "gzip"), Reason.BODY_MALFORMED, "federation", ""),
                deny("truncated body to /federation", IdentityCenterTest.truncated(form(global, getSigninTokenQuery(ASIA_CORP))), Reason.BODY_TOO_LARGE_TO_INSPECT, "federation", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("federation")
    void federationRequests(String name, RequestFacts facts, Verdict v, Reason r, String flow, String principal) {
        decideRow(inspector, facts, v, r, flow, principal);
    }

    @Test
    void getSigninTokenEvidenceNamesTheMaskedKeyNotTheSecret() {
        Decision d = inspector.decide(get("https://signin.aws.amazon.com/federation?" + getSigninTokenQuery(ASIA_FOREIGN)),
                HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.evidence().accessKeyIdMasked()).isEqualTo("ASIA…GCJB");
        assertThat(d.evidence().keyType()).isEqualTo("temporary");
        assertThat(d.evidence().action()).isEqualTo("getSigninToken");
        assertThat(d.rule()).isEqualTo("aws.accounts.allow");
        assertThat(d.toString()).doesNotContain(ASIA_FOREIGN, SigninFixtures.SECRET, SigninFixtures.SESSION_TOKEN);
    }
}
