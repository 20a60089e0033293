package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.ASIA_CORP;
import static io.sekisho.policy.signin.SigninFixtures.ASIA_FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.CORP;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Answer;
import io.sekisho.policy.Decision;
import io.sekisho.policy.domain.DomainPattern;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Need;
import io.sekisho.policy.PolicyEngine;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;
import io.sekisho.policy.SimpleHeaders;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15 point 1: the Sign-In OAuth token endpoint, through the whole conversation (request,
 * response head, response body). A token response naming a foreign account is replaced by a
 * deny; a bearer access token issued for an allowed account is recorded and then allowed on
 * another AWS host (the AWS MCP server); any other bearer token is refused. The token bodies
 * follow the service model (aws-cli {@code botocore/data/signin/2023-01-01/service-2.json}) and
 * {@code awscli/customizations/login/utils.py}: reconstructed from the CLI's source, not
 * captured from AWS.
 */
class OAuthTokensTest {
    private static final String LOGIN_TOKEN = "https://eu-west-1.signin.aws.amazon.com/v1/token";
    private static final String IAM_TOKEN = "https://eu-west-1.oauth.signin.aws/v1/token?x-amz-client-auth-method=iam";
    private static final String MCP = "https://aws-mcp.us-east-1.api.aws/mcp";
    private static final String LOGIN_BODY = "{\"clientId\":\"arn:aws:signin:::devtools/same-device\","
            + "\"grantType\":\"authorization_code\",\"code\":\"c0de\",\"codeVerifier\":\"" + "v".repeat(64)
            + "\",\"redirectUri\":\"http://127.0.0.1:51234/oauth/callback\"}";
    private static final String IAM_BODY = "{\"grant_type\":\"client_credentials\",\"resource\":\"aws-mcp.amazonaws.com\"}";
    private static final String CORP_ARN = "arn:aws:sts::" + CORP + ":assumed-role/Dev/alice";
    private static final String FOREIGN_ARN = "arn:aws:iam::" + FOREIGN + ":user/mallory";

    private final SigninFixtures.MutableClock clock = new SigninFixtures.MutableClock(Instant.parse("2026-01-01T09:00:00Z"));
    private final InMemorySigninTokenStore store = new InMemorySigninTokenStore();
    private final PolicyEngine engine = engine();

    private PolicyEngine engine() {
        List<DomainPattern> allow = List.of(DomainPattern.parse(".amazonaws.com"), DomainPattern.parse(".aws.amazon.com"),
                DomainPattern.parse(".signin.aws"), DomainPattern.parse(".api.aws"));
        PolicySettings s = new PolicySettings(Mode.ENFORCE, allow, List.of(), Set.of(443), Set.of(80, 443), List.of(),
                false, 1 << 20, SigninFixtures.SETTINGS);
        return StandardPolicy.create(s, KeyLookup.NONE, store, clock);
    }

    static String jwt(String payloadJson, boolean padded) {
        Base64.Encoder e = padded ? Base64.getUrlEncoder() : Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    static String sub(String arn) {
        return jwt("{\"sub\":\"" + arn + "\",\"iss\":\"https://signin.aws.amazon.com\"}", false);
    }

    static String loginResponse(String akid, String idToken) {
        return "{\"accessToken\":{\"accessKeyId\":\"" + akid + "\",\"secretAccessKey\":\"" + SigninFixtures.SECRET
                + "\",\"sessionToken\":\"" + SigninFixtures.SESSION_TOKEN + "\"},\"tokenType\":\"aws_sigv4\","
                + "\"expiresIn\":900,\"refreshToken\":\"rt-opaque\"" + (idToken == null ? "" : ",\"idToken\":\"" + idToken + "\"")
                + "}";
    }

    static Stream<Arguments> tokenResponses() {
        return Stream.of(
                row("aws login, company idToken and key", LOGIN_TOKEN, loginResponse(ASIA_CORP, sub(CORP_ARN)), null, true, null),
                row("aws login, foreign idToken and key", LOGIN_TOKEN, loginResponse(ASIA_FOREIGN, sub(FOREIGN_ARN)), null,
                        false, Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                row("company idToken, foreign key", LOGIN_TOKEN, loginResponse(ASIA_FOREIGN, sub(CORP_ARN)), null, false,
                        Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                row("foreign idToken, company key", LOGIN_TOKEN, loginResponse(ASIA_CORP, sub(FOREIGN_ARN)), null, false,
                        Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                row("refresh: no idToken, company key", LOGIN_TOKEN, loginResponse(ASIA_CORP, null), null, true, null),
                row("refresh: no idToken, foreign key", LOGIN_TOKEN, loginResponse(ASIA_FOREIGN, null), null, false,
                        Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                row("padded base64url payload", LOGIN_TOKEN,
                        loginResponse(ASIA_CORP, jwt("{\"sub\":\"" + FOREIGN_ARN + "\"}", true)), null, false,
                        Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                row("escaped ARN in the payload", LOGIN_TOKEN,
                        loginResponse(ASIA_CORP, jwt("{\"sub\":\"\\u0061rn:aws:iam::" + FOREIGN + ":user/m\"}", false)),
                        null, false, Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                row("escaped member name", LOGIN_TOKEN,
                        loginResponse(ASIA_CORP, null).replace("}", ",\"\\u0069dToken\":\"" + sub(FOREIGN_ARN) + "\"}"),
                        null, false, Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                row("duplicate idToken", LOGIN_TOKEN,
                        loginResponse(ASIA_CORP, sub(CORP_ARN)).replace("}", ",\"idToken\":\"" + sub(FOREIGN_ARN) + "\"}"),
                        null, false, Reason.BODY_MALFORMED),
                row("snake_case id_token [INF]", LOGIN_TOKEN,
                        loginResponse(ASIA_CORP, null).replace("}", ",\"id_token\":\"" + sub(FOREIGN_ARN) + "\"}"),
                        null, false, Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                row("gzip, header name upper case", LOGIN_TOKEN, loginResponse(ASIA_FOREIGN, sub(FOREIGN_ARN)),
                        "CONTENT-ENCODING", false, Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                row("gzip, company", LOGIN_TOKEN, loginResponse(ASIA_CORP, sub(CORP_ARN)), "content-encoding", true, null),
                row("idToken not a JWT", LOGIN_TOKEN, loginResponse(ASIA_CORP, "not-a-jwt"), null, false,
                        Reason.BODY_MALFORMED),
                row("idToken without sub", LOGIN_TOKEN, loginResponse(ASIA_CORP, jwt("{\"aud\":\"x\"}", false)), null,
                        false, Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN),
                row("no account at all", LOGIN_TOKEN, "{\"tokenType\":\"aws_sigv4\"}", null, false,
                        Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN),
                row("not JSON", LOGIN_TOKEN, "<html>", null, false, Reason.BODY_MALFORMED),
                row("WithIAM, company JWT", IAM_TOKEN, iamResponse(sub(CORP_ARN)), null, true, null),
                row("WithIAM, foreign JWT", IAM_TOKEN, iamResponse(sub(FOREIGN_ARN)), null, false,
                        Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
                row("WithIAM, opaque token: the signer's", IAM_TOKEN, iamResponse("opaque-token-123"), null, true, null));
    }

    static String iamResponse(String accessToken) {
        return "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
    }

    private static Arguments row(String name, String url, String body, String encodingHeader, boolean allowed,
            Reason reason) {
        return Arguments.of(name, url, body, encodingHeader, allowed, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenResponses")
    void everyTokenResponseIsJudged(String name, String url, String body, String encodingHeader, boolean allowed,
            Reason reason) throws IOException {
        Decision d = exchange(tokenRequest(url), response(200, body, encodingHeader, true));
        assertThat(d.allowed()).as(name).isEqualTo(allowed);
        if (!allowed) {
            assertThat(d.reason()).isEqualTo(reason);
            assertThat(d.evidence().flow()).isEqualTo("oauth");
        } else {
            assertThat(d.reason()).isEqualTo(Reason.AWS_SIGNIN_ALLOWED);
        }
    }

    @Test
    void aForeignTokensEvidenceNamesItsAccount() throws IOException {
        Decision d = exchange(tokenRequest(LOGIN_TOKEN), response(200, loginResponse(ASIA_FOREIGN, sub(FOREIGN_ARN)),
                null, true));
        assertThat(d.evidence().principalAccount()).isEqualTo(FOREIGN);
        assertThat(d.rule()).isEqualTo("aws.accounts.allow");
        assertThat(d.evidence().action()).isEqualTo("CreateOAuth2Token");
    }

    @Test
    void aResponseNotReadWholeIsRefusedAndAnErrorPasses() throws IOException {
        Decision cut = exchange(tokenRequest(LOGIN_TOKEN), response(200, loginResponse(ASIA_CORP, sub(CORP_ARN)), null,
                false));
        assertThat(cut.reason()).isEqualTo(Reason.BODY_TOO_LARGE_TO_INSPECT);
        Decision error = exchange(tokenRequest(LOGIN_TOKEN), response(400, "{\"error\":\"AUTHCODE_EXPIRED\"}", null, true));
        assertThat(error.allowed()).isTrue();
    }

    /** Bearer use elsewhere: only a token this proxy saw issued for an allowed account, while it lives. */
    static Stream<Arguments> bearers() {
        return Stream.of(
                Arguments.of("as issued", new String[] {"Authorization", "Bearer %s"}, true, null),
                Arguments.of("header and scheme lower case", new String[] {"authorization", "bearer %s"}, true, null),
                Arguments.of("extra spaces", new String[] {"AUTHORIZATION", "Bearer   %s  "}, true, null),
                Arguments.of("another token", new String[] {"Authorization", "Bearer %sX"}, false,
                        Reason.AWS_KEY_UNRESOLVABLE),
                Arguments.of("twice", new String[] {"Authorization", "Bearer %s", "Authorization", "Bearer %s"}, false,
                        Reason.AWS_KEY_UNRESOLVABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bearers")
    void aSigninBearerTokenNeedsProvenance(String name, String[] headers, boolean allowed, Reason reason)
            throws IOException {
        String token = sub(CORP_ARN);
        assertThat(exchange(tokenRequest(IAM_TOKEN), response(200, iamResponse(token), null, true)).allowed()).isTrue();
        String[] h = new String[headers.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = String.format(headers[i], token);
        }
        Decision d = exchange(SigninFixtures.request("POST", MCP, "application/json", "{\"jsonrpc\":\"2.0\"}", h), null);
        assertThat(d.allowed()).as(name).isEqualTo(allowed);
        if (allowed) {
            assertThat(d.evidence().principalAccount()).isEqualTo(CORP);
            assertThat(d.reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
        } else {
            assertThat(d.reason()).isEqualTo(reason);
        }
    }

    @Test
    void aBearerTokenIsRefusedWithoutProvenanceAfterExpiryAndWhenForeign() throws IOException {
        String corp = sub(CORP_ARN);
        assertThat(exchange(mcp(corp), null).reason()).isEqualTo(Reason.AWS_KEY_UNRESOLVABLE);
        exchange(tokenRequest(IAM_TOKEN), response(200, iamResponse(corp).replace("3600", "600"), null, true));
        assertThat(exchange(mcp(corp), null).allowed()).isTrue();
        assertThat(exchange(mcp(corp), null).allowed()).as("used again: not consumed").isTrue();
        clock.advance(Duration.ofMinutes(11));
        assertThat(exchange(mcp(corp), null).reason()).isEqualTo(Reason.AWS_KEY_UNRESOLVABLE);
        String foreign = sub(FOREIGN_ARN);
        exchange(tokenRequest(IAM_TOKEN), response(200, iamResponse(foreign), null, true));
        assertThat(exchange(mcp(foreign), null).reason()).as("never recorded").isEqualTo(Reason.AWS_KEY_UNRESOLVABLE);
    }

    @Test
    void aConsoleSigninTokenIsNoBearerToken() {
        String token = "console-signin-token-123";
        store.recordIssued(SigninTokenHash.of(token), new SigninTokenStore.IssuedToken(CORP, clock.instant(),
                clock.instant().plusSeconds(900)));
        assertThat(exchange(mcp(token), null).reason()).isEqualTo(Reason.AWS_KEY_UNRESOLVABLE);
    }

    private static RequestFacts mcp(String token) {
        return SigninFixtures.request("POST", MCP, "application/json", "{}", "Authorization", "Bearer " + token);
    }

    private static RequestFacts tokenRequest(String url) {
        if (url.equals(IAM_TOKEN)) {
            return SigninFixtures.request("POST", url, "application/json", IAM_BODY, "Authorization",
                    "AWS4-HMAC-SHA256 Credential=" + ASIA_CORP + "/20260101/eu-west-1/signin/aws4_request, "
                            + "SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64),
                    "X-Amz-Date", "20260101T090000Z");
        }
        return SigninFixtures.request("POST", url, "application/json", LOGIN_BODY, "DPoP", "eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
    }

    private static ResponseFacts response(int status, String body, String encodingHeader, boolean complete)
            throws IOException {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"Content-Type", "application/json"});
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (encodingHeader != null) {
            lines.add(new String[] {encodingHeader, "GZip"});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(bytes);
            }
            bytes = out.toByteArray();
        }
        return new ResponseFacts(status, SimpleHeaders.fromLines(lines), ByteBuffer.wrap(bytes), complete);
    }

    /** The gate's conversation: request head, body, then (allowed) the response head and the body it asks for. */
    private Decision exchange(RequestFacts facts, ResponseFacts response) {
        RequestFacts head = new RequestFacts(facts.id(), facts.client(), facts.method(), facts.scheme(), facts.host(),
                facts.port(), facts.path(), facts.query(), facts.headers(), null, false, facts.host());
        Decision tunnel = Decision.allow(Reason.DOMAIN_ALLOWED, "").withIntercept(true);
        Exchange x = Exchange.request(head, facts.body() != null, false, tunnel);
        Answer a = engine.decide(x);
        if (a instanceof Need.RequestBody) {
            x = x.withRequestBody(facts.body().duplicate(), true);
            a = engine.decide(x);
        }
        Decision d = (Decision) a;
        if (!d.allowed() || response == null) {
            return d;
        }
        assertThat(d.readsResponse()).as("the token response is read").isTrue();
        Answer r = engine.decide(x.withResponse(d, new ResponseFacts(response.status(), response.headers(), null, false)));
        if (r instanceof Need.ResponseBody) {
            r = engine.decide(x.withResponse(d, response));
        }
        return (Decision) r;
    }
}
