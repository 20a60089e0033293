package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.CORP;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.allow;
import static io.sekisho.policy.signin.SigninFixtures.decideRow;
import static io.sekisho.policy.signin.SigninFixtures.deny;
import static io.sekisho.policy.signin.SigninFixtures.get;
import static io.sekisho.policy.signin.SigninFixtures.userInfoCookie;
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

/** Issue 5 point 5: the aws-userInfo cookie on console hosts, defence in depth (aws-wire-facts §4.5). */
class ConsoleTest {
    private static final String HOME = "https://console.aws.amazon.com/console/home";
    private static final String FOREIGN_ROLE = "arn:aws:sts::" + FOREIGN + ":assumed-role/Admin/alice";

    private final SigninInspector inspector = SigninFixtures.inspector(new InMemorySigninTokenStore(),
            new SigninFixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

    static Stream<Arguments> console() {
        return Stream.of(
                deny("foreign assumed-role session", get(HOME, "Cookie", userInfoCookie(FOREIGN_ROLE)), Reason.AWS_CONSOLE_SESSION_FOREIGN, "console", FOREIGN),
                deny("foreign root session", get(HOME, "Cookie", userInfoCookie("arn:aws:iam::" + FOREIGN + ":root")), Reason.AWS_CONSOLE_SESSION_FOREIGN, "console", FOREIGN),
                deny("foreign IAM user among other cookies", get(HOME, "Cookie", "noflush_awsccs_sid=abc; " + userInfoCookie("arn:aws:iam::" + FOREIGN + ":user/bob") + "; aws-consoleInfo=x"), Reason.AWS_CONSOLE_SESSION_FOREIGN, "console", FOREIGN),
                deny("company and foreign cookie in two Cookie headers", get(HOME, "Cookie", userInfoCookie("arn:aws:iam::" + CORP + ":user/a"), "Cookie", userInfoCookie(FOREIGN_ROLE)), Reason.AWS_CONSOLE_SESSION_FOREIGN, "console", FOREIGN),
                deny("regional console host, foreign session", get("https://eu-west-1.console.aws.amazon.com/ec2/home", "Cookie", userInfoCookie(FOREIGN_ROLE)), Reason.AWS_CONSOLE_SESSION_FOREIGN, "console", FOREIGN),
                deny("service console host, foreign session", get("https://s3.console.aws.amazon.com/s3/buckets", "Cookie", userInfoCookie(FOREIGN_ROLE)), Reason.AWS_CONSOLE_SESSION_FOREIGN, "console", FOREIGN),
                deny("GovCloud console, foreign session", get("https://console.amazonaws-us-gov.com/", "Cookie", userInfoCookie("arn:aws-us-gov:sts::" + FOREIGN + ":assumed-role/A/b")), Reason.AWS_CONSOLE_SESSION_FOREIGN, "console", FOREIGN),
                deny("China console, foreign session", get("https://console.amazonaws.cn/", "Cookie", userInfoCookie("arn:aws-cn:sts::" + FOREIGN + ":assumed-role/A/b")), Reason.AWS_CONSOLE_SESSION_FOREIGN, "console", FOREIGN),
                allow("company session", get(HOME, "Cookie", userInfoCookie("arn:aws:sts::" + CORP + ":assumed-role/Admin/alice")), "console", CORP),
                allow("no cookie: not evidence either way", get(HOME), "console", ""),
                allow("cookie that is not JSON", get(HOME, "Cookie", "aws-userInfo=%7Bnot-json"), "console", ""),
                allow("cookie with a malformed escape", get(HOME, "Cookie", "aws-userInfo=%zz"), "console", ""),
                allow("cookie without an arn", get(HOME, "Cookie", "aws-userInfo=" + SigninFixtures.enc("{\"alias\":\"x\"}")), "console", ""),
                allow("malformed escape in a console query is not a deny", get("https://console.aws.amazon.com/s3/buckets/b?prefix=100%&region=x"), "console", ""),
                deny("foreign presigned credential in a console query with a malformed escape", get("https://console.aws.amazon.com/x?a=%zz&X-Amz-Credential=" + SigninFixtures.ASIA_FOREIGN + "%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "console", FOREIGN),
                allow("a similarly named cookie is not read", get(HOME, "Cookie", "aws-userInfo-old=" + SigninFixtures.enc("{\"arn\":\"" + FOREIGN_ROLE + "\"}")), "console", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("console")
    void consoleSessionCookie(String name, RequestFacts facts, Verdict v, Reason r, String flow, String principal) {
        decideRow(inspector, facts, v, r, flow, principal);
    }

    @Test
    void theCookieValueNeverReachesTheDecision() {
        Decision d = inspector.decide(get(HOME, "Cookie", userInfoCookie(FOREIGN_ROLE)), HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.toString()).doesNotContain("alice").doesNotContain("assumed-role");
    }
}
