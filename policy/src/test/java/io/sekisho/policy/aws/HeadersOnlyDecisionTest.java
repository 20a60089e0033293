package io.sekisho.policy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Answer;
import io.sekisho.policy.Ask;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Need;
import io.sekisho.policy.PolicyEngine;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.domain.DomainPattern;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Expect: 100-continue}: the proxy asks {@link PolicyEngine#onRequestHeaders} before it
 * reads a body the policy wants, then {@link PolicyEngine#onRequest} with the body. Through the
 * real engine (catalog and both inspectors): the headers alone deny only what they prove; a body
 * not read yet is never a reason to deny; the second call judges the body.
 */
class HeadersOnlyDecisionTest {
    private static final String STS = "https://sts.amazonaws.com/";
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String POST_FORM_URL = "https://corp-uploads.s3.amazonaws.com/";

    static PolicyEngine engine(AwsSettings aws) {
        List<DomainPattern> allow = List.of(DomainPattern.parse(".amazonaws.com"), DomainPattern.parse(".aws.amazon.com"));
        PolicySettings s = new PolicySettings(Mode.ENFORCE, allow, List.of(), Set.of(443), Set.of(80, 443), List.of(), false,
                Settings.BODY_LIMIT, aws);
        return StandardPolicy.create(s, KeyLookup.NONE, new InMemorySigninTokenStore(), Clock.systemUTC());
    }

    static Req stsPost(String key) {
        return Req.of("POST", STS).header("Content-Type", FORM).header("Expect", "100-continue")
                .header("Authorization", Forms.sigv4(key, "us-east-1", "sts"));
    }

    static Req postForm(String key) {
        return Req.of("POST", POST_FORM_URL).header("Content-Type", Forms.CONTENT_TYPE).header("Expect", "100-continue");
    }

    static String postFormBody(String key) {
        return Forms.multipart("key", "k.bin", "x-amz-algorithm", "AWS4-HMAC-SHA256",
                "x-amz-credential", Forms.scope(key, "us-east-1", "s3"), "x-amz-date", "20261122T140332Z",
                "policy", "e30=", "x-amz-signature", "ef".repeat(32), "file", "data");
    }

    static final String ASSUME_ROLE_FOREIGN = "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s"
            + "&RoleArn=arn%3Aaws%3Aiam%3A%3A999988887777%3Arole%2FExfil";

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, request (headers only), headers verdict, body or null, final reason
                Arguments.of("company key, body not read yet: 100, then the body decides",
                        stsPost(Forms.CORP).declaredBody(80), true, "Action=GetCallerIdentity&Version=2011-06-15",
                        Reason.AWS_ACCOUNT_ALLOWED),
                Arguments.of("foreign key in the header: denied before the body",
                        stsPost(Forms.FOREIGN).declaredBody(80), false, null, Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                Arguments.of("company key, foreign role in the body: 100, then denied on the body",
                        stsPost(Forms.CORP).declaredBody(ASSUME_ROLE_FOREIGN.length()), true, ASSUME_ROLE_FOREIGN,
                        Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
                Arguments.of("old key not resolvable: waits for the body (lookup runs once, after)",
                        stsPost(Forms.OLD).declaredBody(80), true, "Action=GetCallerIdentity&Version=2011-06-15",
                        Reason.AWS_KEY_UNRESOLVABLE),
                Arguments.of("POST form, credential in the body: no header evidence, body decides (company)",
                        postForm(Forms.CORP).declaredBody(2_000_000), true, postFormBody(Forms.CORP),
                        Reason.AWS_ACCOUNT_ALLOWED),
                Arguments.of("POST form, foreign credential in the body: denied on the body",
                        postForm(Forms.FOREIGN).declaredBody(2_000_000), true, postFormBody(Forms.FOREIGN),
                        Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                Arguments.of("malformed credential in the header: denied before the body",
                        Req.of("POST", STS).header("Content-Type", FORM).header("Expect", "100-continue")
                                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/garbage").declaredBody(80),
                        false, null, Reason.AWS_CREDENTIAL_MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void headersThenBody(String name, Req headersOnly, boolean headersAllow, String body, Reason finalReason) {
        PolicyEngine engine = engine(Settings.BASE);
        RequestFacts facts = headersOnly.facts();
        assertThat(Ask.bodyNeed(engine, facts).kind()).as("the policy wants this body")
                .isNotEqualTo(BodyNeed.Kind.NONE);

        Answer onHeaders = Ask.headers(engine, facts);
        assertThat(onHeaders instanceof Need.RequestBody).as(name).isEqualTo(headersAllow);
        if (!headersAllow) {
            assertThat(((Decision) onHeaders).reason()).isEqualTo(finalReason);
            return;
        }
        Req withBody = body.startsWith("--") ? postForm("").body(body.getBytes(), false)
                : Req.of("POST", STS).header("Content-Type", FORM)
                        .header("Authorization", facts.headers().get("Authorization")).body(body);
        Decision onBody = Ask.request(engine, withBody.facts());
        assertThat(onBody.reason()).as(name).isEqualTo(finalReason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signinRows")
    void signinIsNotJudgedTwice(String name, Req r, boolean allowed) {
        // The sign-in inspector redeems a login token in decide(); on headers it objects to nothing.
        assertThat(Ask.headersAllow(engine(Settings.BASE), r.facts())).as(name).isEqualTo(allowed);
    }

    static Stream<Arguments> signinRows() {
        return Stream.of(
                Arguments.of("SAML POST before its body: no objection yet",
                        Req.of("POST", "https://signin.aws.amazon.com/saml")
                                .header("Content-Type", FORM).header("Expect", "100-continue").declaredBody(5000), true),
                Arguments.of("a host the domain rules deny: denied on headers",
                        Req.of("POST", "https://evil.example.org/upload").header("Expect", "100-continue")
                                .declaredBody(5000), false));
    }
}
