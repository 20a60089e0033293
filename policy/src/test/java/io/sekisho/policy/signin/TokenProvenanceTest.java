package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.ASIA_CORP;
import static io.sekisho.policy.signin.SigninFixtures.ASIA_FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.CORP;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.form;
import static io.sekisho.policy.signin.SigninFixtures.get;
import static io.sekisho.policy.signin.SigninFixtures.getSigninTokenQuery;
import static io.sekisho.policy.signin.SigninFixtures.jsonResponse;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;
import io.sekisho.policy.SimpleHeaders;
import io.sekisho.policy.Verdict;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.aws.credentials.AccountResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 5 point 2, token provenance: a login token is allowed only when this proxy relayed
 * the response that issued it for an allowed account, once, within 15 minutes.
 */
class TokenProvenanceTest {
    private static final String TOKEN = "VCQECQ-issued-through-the-proxy-8Jfh3kK9_x-Zq";
    private static final String PORTAL = "https://portal.sso.eu-west-1.amazonaws.com/federation/console";
    private static final String FEDERATION = "https://eu-west-1.signin.aws.amazon.com/federation";

    private final SigninFixtures.MutableClock clock = new SigninFixtures.MutableClock(Instant.parse("2026-01-01T09:00:00Z"));
    private final RecordingStore store = new RecordingStore(new InMemorySigninTokenStore());
    private final SigninInspector inspector = SigninFixtures.inspector(store, clock);

    /** The three responses that issue a token for a company account. */
    static Stream<Arguments> issuers() {
        return Stream.of(
                Arguments.of("portal federation/console", get(PORTAL + "?account_id=" + CORP + "&role_name=Admin"),
                        "{\"signInToken\":\"" + TOKEN + "\",\"signInFederationLocation\":\"" + FEDERATION
                                + "\",\"destination\":\"https://console.aws.amazon.com/\"}"),
                Arguments.of("getSigninToken GET", get(FEDERATION + "?" + getSigninTokenQuery(ASIA_CORP)),
                        "{\"SigninToken\":\"" + TOKEN + "\"}"),
                Arguments.of("getSigninToken form POST", form(FEDERATION, getSigninTokenQuery(ASIA_CORP)),
                        "{\"SigninToken\":\"" + TOKEN + "\"}"));
    }

    @ParameterizedTest(name = "{0}: learned token logs in once, replay denied")
    @MethodSource("issuers")
    void aLearnedTokenLogsInOnceAndAReplayIsDenied(String name, RequestFacts issuing, String responseBody) {
        relay(issuing, jsonResponse(200, responseBody));

        Decision first = decide(login(TOKEN));
        assertThat(first.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(first.reason()).isEqualTo(Reason.AWS_SIGNIN_ALLOWED);
        assertThat(first.evidence().principalAccount()).isEqualTo(CORP);
        assertThat(first.evidence().flow()).isEqualTo("federation");
        assertThat(first.evidence().action()).isEqualTo("login");

        Decision replay = decide(login(TOKEN));
        assertThat(replay.reason()).isEqualTo(Reason.AWS_SIGNIN_TOKEN_UNKNOWN);
        assertThat(replay.rule()).isEqualTo("signin.tokenProvenance");
    }

    @Test
    void anUnknownTokenIsDenied() {
        relay(get(PORTAL + "?account_id=" + CORP), jsonResponse(200, "{\"signInToken\":\"" + TOKEN + "\"}"));
        assertThat(decide(login("made-at-home-" + TOKEN)).reason()).isEqualTo(Reason.AWS_SIGNIN_TOKEN_UNKNOWN);
    }

    @Test
    void aTokenExpiresFifteenMinutesAfterItWasIssued() {
        relay(get(PORTAL + "?account_id=" + CORP), jsonResponse(200, "{\"signInToken\":\"" + TOKEN + "\"}"));
        relay(get(PORTAL + "?account_id=" + CORP), jsonResponse(200, "{\"signInToken\":\"second-" + TOKEN + "\"}"));

        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertThat(decide(login(TOKEN)).verdict()).isEqualTo(Verdict.ALLOW);
        clock.advance(Duration.ofSeconds(1));
        assertThat(decide(login("second-" + TOKEN)).reason()).isEqualTo(Reason.AWS_SIGNIN_TOKEN_UNKNOWN);
    }

    @Test
    void aForeignAccountsPortalResponseIsNotRecorded() {
        RequestFacts foreign = get(PORTAL + "?account_id=" + FOREIGN + "&role_name=Admin");
        Decision d = decide(foreign);
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        ResponseFacts response = jsonResponse(200, "{\"signInToken\":\"" + TOKEN + "\"}");

        // In enforce mode the response never comes; in report mode it does, with wouldDeny.
        assertThat(inspector.responseBodyNeed(foreign, d, response)).isEqualTo(BodyNeed.NONE);
        inspector.onResponse(foreign, d, response);
        Decision reported = d.inMode(Mode.REPORT);
        assertThat(inspector.responseBodyNeed(foreign, reported, response)).isEqualTo(BodyNeed.NONE);
        inspector.onResponse(foreign, reported, response);
        // A decision that claims allow does not make a foreign account_id learnable either.
        inspector.onResponse(foreign, Decision.allow(Reason.AWS_SIGNIN_ALLOWED, ""), response);

        assertThat(store.recorded).isEmpty();
        assertThat(decide(login(TOKEN)).reason()).isEqualTo(Reason.AWS_SIGNIN_TOKEN_UNKNOWN);
    }

    @Test
    void aForeignGetSigninTokenResponseIsNotRecorded() {
        RequestFacts foreign = get(FEDERATION + "?" + getSigninTokenQuery(ASIA_FOREIGN));
        ResponseFacts response = jsonResponse(200, "{\"SigninToken\":\"" + TOKEN + "\"}");
        inspector.onResponse(foreign, decide(foreign).inMode(Mode.REPORT), response);
        inspector.onResponse(foreign, Decision.allow(Reason.AWS_SIGNIN_ALLOWED, ""), response);
        assertThat(store.recorded).isEmpty();
        assertThat(decide(login(TOKEN)).reason()).isEqualTo(Reason.AWS_SIGNIN_TOKEN_UNKNOWN);
    }

    @Test
    void aCompanyPortalResponseLetThroughInReportModeIsNotRecorded() {
        // Company account_id, but signed with a foreign key: denied; report mode lets it through.
        RequestFacts denied = get(PORTAL + "?account_id=" + CORP, "Authorization", "AWS4-HMAC-SHA256 Credential="
                + ASIA_FOREIGN + "/20260101/eu-west-1/awsssoportal/aws4_request, SignedHeaders=host, Signature=abc");
        Decision reported = decide(denied).inMode(Mode.REPORT);
        assertThat(reported.wouldDeny()).isTrue();
        ResponseFacts response = jsonResponse(200, "{\"signInToken\":\"" + TOKEN + "\"}");
        assertThat(inspector.responseBodyNeed(denied, reported, response)).isEqualTo(BodyNeed.NONE);
        inspector.onResponse(denied, reported, response);
        assertThat(store.recorded).isEmpty();
    }

    static Stream<Arguments> responsesThatTeachNothing() {
        String body = "{\"signInToken\":\"" + TOKEN + "\"}";
        return Stream.of(
                Arguments.of("error status", jsonResponse(403, body)),
                Arguments.of("truncated body", new ResponseFacts(200, SimpleHeaders.EMPTY,
                        ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), false)),
                Arguments.of("no body", new ResponseFacts(200, SimpleHeaders.EMPTY, null, true)),
                Arguments.of("not JSON", jsonResponse(200, "<html>signInToken=" + TOKEN + "</html>")),
                Arguments.of("brotli, which the JDK cannot decode", new ResponseFacts(200,
                        SimpleHeaders.of("Content-Encoding", "br"), ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), true)),
                Arguments.of("token member missing", jsonResponse(200, "{\"destination\":\"x\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responsesThatTeachNothing")
    void unreadableResponsesTeachNothing(String name, ResponseFacts response) {
        RequestFacts issuing = get(PORTAL + "?account_id=" + CORP);
        inspector.onResponse(issuing, decide(issuing), response);
        assertThat(store.recorded).isEmpty();
    }

    @Test
    void aGzipResponseIsLearned() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(("{\"signInToken\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        relay(get(PORTAL + "?account_id=" + CORP), new ResponseFacts(200,
                SimpleHeaders.of("Content-Encoding", "gzip"), ByteBuffer.wrap(out.toByteArray()), true));
        assertThat(decide(login(TOKEN)).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void onlyIssuingResponsesAreAskedFor() {
        RequestFacts user = get("https://portal.sso.eu-west-1.amazonaws.com/user");
        RequestFacts credentials = get("https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?account_id=" + CORP);
        ResponseFacts ok = jsonResponse(200, "{}");
        assertThat(inspector.responseBodyNeed(user, decide(user), ok)).isEqualTo(BodyNeed.NONE);
        assertThat(inspector.responseBodyNeed(credentials, decide(credentials), ok)).isEqualTo(BodyNeed.NONE);
        RequestFacts console = get(PORTAL + "?account_id=" + CORP);
        assertThat(inspector.responseBodyNeed(console, decide(console), ok).kind()).isEqualTo(BodyNeed.Kind.WHOLE);
    }

    /**
     * The response phase exists only for requests whose decision reads the response: every
     * request whose response this inspector would ask for is one it says it reads, the
     * getSigninToken requests {@link FederationRules} recognises on any path of a sign-in host too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("issuersOnAnyPath")
    void everyRequestWhoseResponseIsAskedForIsOneWhoseResponseIsRead(String name, RequestFacts issuing) {
        Decision d = decide(issuing);
        assertThat(d.allowed()).isTrue();
        assertThat(inspector.responseBodyNeed(issuing, d, jsonResponse(200, "{}")).kind())
                .isEqualTo(BodyNeed.Kind.WHOLE);
        assertThat(inspector.readsResponseOf(issuing)).isTrue();
    }

    static Stream<Arguments> issuersOnAnyPath() {
        String query = getSigninTokenQuery(ASIA_CORP);
        return Stream.concat(issuers().map(a -> Arguments.of(a.get()[0], a.get()[1])), Stream.of(
                Arguments.of("getSigninToken GET on /oauth", get("https://signin.aws.amazon.com/oauth?" + query)),
                Arguments.of("getSigninToken GET on /", get("https://signin.aws.amazon.com/?" + query)),
                Arguments.of("getSigninToken form POST on /federation/x",
                        form("https://signin.aws.amazon.com/federation/x", query))));
    }

    @Test
    void theRequestsWhoseResponseMayIssueATokenAreKnownBeforeTheyAreSent() {
        assertThat(inspector.readsResponseOf(get(PORTAL + "?account_id=" + CORP))).isTrue();
        assertThat(inspector.readsResponseOf(form(FEDERATION, getSigninTokenQuery(ASIA_CORP)))).isTrue();
        assertThat(inspector.readsResponseOf(get("https://signin.aws.amazon.com/Federation/?x=1"))).isTrue();
        assertThat(inspector.readsResponseOf(get("https://portal.sso.eu-west-1.amazonaws.com/user"))).isFalse();
        assertThat(inspector.readsResponseOf(get("https://console.aws.amazon.com/federation"))).isFalse();
    }

    @Test
    void aTokenForAnAccountRemovedFromTheAllowlistIsDenied() {
        relay(get(PORTAL + "?account_id=" + CORP), jsonResponse(200, "{\"signInToken\":\"" + TOKEN + "\"}"));
        AwsSettings shrunk = new AwsSettings(List.of(SigninFixtures.SETTINGS.accounts().get(1)), Map.of(), false,
                List.of(), List.of(), List.of(), List.of());
        SigninInspector reloaded = new SigninInspector(shrunk, store, clock, new AccountResolver(Map.of(), KeyLookup.NONE));
        Decision d = reloaded.decide(login(TOKEN), HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.reason()).isEqualTo(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED);
        assertThat(d.evidence().principalAccount()).isEqualTo(CORP);
    }

    @Test
    void theStoreOnlyEverReceivesTheTokensHash() throws NoSuchAlgorithmException {
        relay(get(PORTAL + "?account_id=" + CORP), jsonResponse(200, "{\"signInToken\":\"" + TOKEN + "\"}"));
        decide(login(TOKEN));

        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        assertThat(store.recorded).extracting(SigninTokenHash::hex).containsExactly(sha256);
        assertThat(store.redeemed).extracting(SigninTokenHash::hex).containsExactly(sha256);
        for (SigninTokenHash h : store.recorded) {
            assertThat(h.hex()).doesNotContain(TOKEN);
            assertThat(h.toString()).doesNotContain(TOKEN).doesNotContain(sha256);
        }
        assertThat(store.issued).allSatisfy(t -> assertThat(t.toString()).doesNotContain(TOKEN));
    }

    @Test
    void decisionsNeverCarryTheToken() {
        relay(get(PORTAL + "?account_id=" + CORP), jsonResponse(200, "{\"signInToken\":\"" + TOKEN + "\"}"));
        assertThat(decide(login(TOKEN)).toString()).doesNotContain(TOKEN);
        assertThat(decide(login(TOKEN)).toString()).doesNotContain(TOKEN);
    }

    private void relay(RequestFacts issuing, ResponseFacts response) {
        Decision d = decide(issuing);
        assertThat(d.verdict()).as("issuing request allowed").isEqualTo(Verdict.ALLOW);
        if (inspector.responseBodyNeed(issuing, d, response).kind() != BodyNeed.Kind.NONE) {
            inspector.onResponse(issuing, d, response);
        }
    }

    private Decision decide(RequestFacts f) {
        return inspector.decide(f, HostClass.AWS_SIGNIN_CONSOLE);
    }

    private static RequestFacts login(String token) {
        return get(FEDERATION + "?Action=login&Issuer=https%3A%2F%2Fcorp-example.awsapps.com%2Fstart"
                + "&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=" + SigninFixtures.enc(token));
    }

    /** A hand-written fake: records what reaches the store, delegates to the real one. */
    static final class RecordingStore implements SigninTokenStore {
        final List<SigninTokenHash> recorded = new ArrayList<>();
        final List<IssuedToken> issued = new ArrayList<>();
        final List<SigninTokenHash> redeemed = new ArrayList<>();
        private final SigninTokenStore delegate;

        RecordingStore(SigninTokenStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void recordIssued(SigninTokenHash token, IssuedToken i) {
            recorded.add(token);
            issued.add(i);
            delegate.recordIssued(token, i);
        }

        @Override
        public Optional<IssuedToken> redeem(SigninTokenHash token, Instant now) {
            redeemed.add(token);
            return delegate.redeem(token, now);
        }
    }
}
