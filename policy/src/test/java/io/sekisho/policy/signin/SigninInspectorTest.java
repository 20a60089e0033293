package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.ASIA_FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.form;
import static io.sekisho.policy.signin.SigninFixtures.get;
import static io.sekisho.policy.signin.SigninFixtures.getSigninTokenQuery;
import static io.sekisho.policy.signin.SigninFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.Verdict;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.aws.credentials.AccountResolver;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which requests the inspector takes, what it reads, and what it does with no rule to apply. */
class SigninInspectorTest {
    private final SigninInspector inspector = SigninFixtures.inspector(new InMemorySigninTokenStore(),
            new SigninFixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

    static Stream<Arguments> hosts() {
        return Stream.of(
                Arguments.of("signin.aws.amazon.com", HostClass.AWS_SIGNIN_CONSOLE, true),
                Arguments.of("eu-west-1.signin.aws.amazon.com", HostClass.AWS_SIGNIN_CONSOLE, true),
                Arguments.of("portal.sso.us-east-1.amazonaws.com", HostClass.AWS_API, true),
                Arguments.of("oidc.eu-central-1.amazonaws.com", HostClass.AWS_API, true),
                Arguments.of("oidc-fips.us-gov-west-1.amazonaws.com", HostClass.AWS_API, true),
                Arguments.of("device.sso.us-east-1.amazonaws.com", HostClass.AWS_API, true),
                Arguments.of("portal.sso.us-east-1.api.aws", HostClass.AWS_API, true),
                Arguments.of("corp-example.awsapps.com", HostClass.NOT_AWS, true),
                Arguments.of("identitycenter.amazonaws.com", HostClass.AWS_API, true),
                Arguments.of("us-east-1.signin.aws", HostClass.AWS_SIGNIN_CONSOLE, true),
                Arguments.of("console.aws.amazon.com", HostClass.AWS_SIGNIN_CONSOLE, true),
                Arguments.of("health.aws.amazon.com", HostClass.AWS_SIGNIN_CONSOLE, true),
                Arguments.of("s3.us-east-1.amazonaws.com", HostClass.AWS_API, false),
                Arguments.of("sso.us-east-1.amazonaws.com", HostClass.AWS_API, false),
                Arguments.of("oidc.example.com", HostClass.NOT_AWS, false),
                Arguments.of("signin.aws.amazon.com.evil.example", HostClass.NOT_AWS, false),
                Arguments.of("awsapps.com.evil.example", HostClass.NOT_AWS, false),
                Arguments.of("192.0.2.7", HostClass.NOT_AWS, false));
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("hosts")
    void handles(String host, HostClass hostClass, boolean expected) {
        assertThat(inspector.handles(hostClass, HostName.parse(host))).isEqualTo(expected);
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("form post to /federation", form("https://signin.aws.amazon.com/federation", "Action=x"), BodyNeed.whole(SigninInspector.SIGNIN_BODY_LIMIT)),
                Arguments.of("SAML post", form("https://signin.aws.amazon.com/saml", "SAMLResponse=x"), BodyNeed.whole(SigninInspector.SIGNIN_BODY_LIMIT)),
                Arguments.of("OIDC JSON", json("https://oidc.us-east-1.amazonaws.com/device_authorization", "{}"), BodyNeed.whole(SigninInspector.OIDC_BODY_LIMIT)),
                Arguments.of("GET on a sign-in host", get("https://signin.aws.amazon.com/federation?Action=login"), BodyNeed.NONE),
                Arguments.of("chunked post to a sign-in host", SigninFixtures.request("POST", "https://signin.aws.amazon.com/saml", null, null, "Transfer-Encoding", "chunked"), BodyNeed.whole(SigninInspector.SIGNIN_BODY_LIMIT)),
                Arguments.of("console post", json("https://console.aws.amazon.com/ec2/ecb", "{}"), BodyNeed.NONE),
                Arguments.of("portal API", get("https://portal.sso.us-east-1.amazonaws.com/user"), BodyNeed.NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void bodyNeed(String name, RequestFacts facts, BodyNeed expected) {
        assertThat(inspector.bodyNeed(facts, HostClass.AWS_SIGNIN_CONSOLE)).isEqualTo(expected);
    }

    static Stream<Arguments> noEvidence() {
        return Stream.of(
                Arguments.of("Identity Center sign-in page", get("https://us-east-1.signin.aws/platform/login?workflowStateHandle=x"), "portal"),
                Arguments.of("Identity Center OAuth host", get("https://us-east-1.oauth.signin.aws/"), "portal"),
                Arguments.of("console static host in the sign-in class", get("https://health.aws.amazon.com/health/status"), ""),
                Arguments.of("aws login authorize page", get("https://us-east-1.signin.aws.amazon.com/v1/authorize?response_type=code&client_id=arn%3Aaws%3Asignin%3A%3A%3Adevtools%2Fsame-device"), ""),
                Arguments.of("console logout", get("https://signin.aws.amazon.com/oauth?Action=logout&redirect_uri=x"), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noEvidence")
    void requestsWithoutAccountEvidenceAreAllowedWithoutARule(String name, RequestFacts facts, String flow) {
        Decision d = inspector.decide(facts, HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.reason()).isEqualTo(Reason.AWS_SIGNIN_ALLOWED);
        assertThat(d.rule()).isEmpty();
        assertThat(d.evidence().flow()).isEqualTo(flow);
        assertThat(d.evidence().principalAccount()).isEmpty();
    }

    @Test
    void withNoAccountsConfiguredChecksAreOff() {
        AwsSettings none = new AwsSettings(List.of(), Map.of(), false, List.of(), List.of(), List.of(), List.of());
        SigninInspector off = new SigninInspector(none, new InMemorySigninTokenStore(), Clock.systemUTC(),
                new AccountResolver(Map.of(), KeyLookup.NONE));
        RequestFacts foreign = get("https://signin.aws.amazon.com/federation?" + getSigninTokenQuery(ASIA_FOREIGN));
        Decision d = off.decide(foreign, HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.rule()).startsWith("aws.accounts.allow");
        assertThat(off.bodyNeed(form("https://signin.aws.amazon.com/saml", "x=y"), HostClass.AWS_SIGNIN_CONSOLE))
                .isEqualTo(BodyNeed.NONE);
    }

    @Test
    void aBodyAskedForButNotGivenFailsClosed() {
        RequestFacts f = form("https://signin.aws.amazon.com/saml", "SAMLResponse=x");
        Decision d = inspector.decide(f.withBody(null, false), HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).isEqualTo(Reason.INTERNAL_ERROR);
    }

    @Test
    void aSigV4KeyOnASigninHostMustBeTheCompanys() {
        RequestFacts f = get("https://us-east-1.oauth.signin.aws/v1/introspect?X-Amz-Credential="
                + ASIA_FOREIGN + "%2F20260101%2Fus-east-1%2Fsignin%2Faws4_request&X-Amz-Signature=abc");
        Decision d = inspector.decide(f, HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.reason()).isEqualTo(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED);
        assertThat(d.evidence().principalAccount()).isEqualTo(FOREIGN);
        assertThat(d.evidence().signing()).isEqualTo("sigv4-query");
    }
}
