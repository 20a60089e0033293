package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.CORP;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.get;
import static io.sekisho.policy.signin.SigninFixtures.jsonResponse;
import static io.sekisho.policy.signin.SigninFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;
import io.sekisho.policy.SimpleHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15 point 2, the policy side: an SSM data channel is allowed only to a stream URL that a
 * StartSession or ResumeSession response issued for an allowed account, once, within
 * {@link SsmDataChannels#LIFETIME}. Tables with header-case, duplicate-header and encoding variants.
 */
class SsmDataChannelsTest {
    static final String SSM = "https://ssm.us-east-1.amazonaws.com/";
    static final String SESSION = "operator-0a1b2c3d4e5f67890";
    static final String CHANNEL = "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/" + SESSION
            + "?role=publish_subscribe&cell-number=AAEAAQ";
    static final Decision ALLOWED_CORP = Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "aws.accounts")
            .withEvidence(Evidence.builder().principalAccount(CORP).build());

    private final SigninFixtures.MutableClock clock = new SigninFixtures.MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final InMemorySigninTokenStore store = new InMemorySigninTokenStore();
    private final SsmDataChannels ssm = new SsmDataChannels(SigninFixtures.SETTINGS, store, clock);

    static RequestFacts call(String target, String... moreHeaders) {
        String[] headers = new String[moreHeaders.length + 2];
        headers[0] = "X-Amz-Target";
        headers[1] = target;
        System.arraycopy(moreHeaders, 0, headers, 2, moreHeaders.length);
        return request("POST", SSM, "application/x-amz-json-1.1", "{\"Target\":\"i-0123456789abcdef0\"}", headers);
    }

    static String issued(String sessionId, String streamUrl) {
        return "{\"SessionId\":\"" + sessionId + "\",\"StreamUrl\":\"" + streamUrl
                + "\",\"TokenValue\":\"AAEAAHdrYXJ0LXRva2VuLW5ldmVyLWxvZ2dlZA==\"}";
    }

    static RequestFacts upgrade(String url) {
        return get(url, "Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Version", "13");
    }

    private Decision open(String url) {
        return ssm.decide(upgrade(url), HostClass.AWS_API);
    }

    private void respond(RequestFacts call, Decision decision, ResponseFacts response) {
        ResponseFacts head = new ResponseFacts(response.status(), response.headers(), null, false);
        if (ssm.responseBodyNeed(call, decision, head).kind() != BodyNeed.Kind.NONE) {
            ssm.onResponse(call, decision, response);
        }
    }

    static Stream<Arguments> learned() {
        return Stream.of(
                Arguments.of("StartSession", call("AmazonSSM.StartSession"), issued(SESSION, CHANNEL)),
                Arguments.of("ResumeSession", call("AmazonSSM.ResumeSession"), issued(SESSION, CHANNEL)),
                Arguments.of("header name in lower case", request("POST", SSM, "application/x-amz-json-1.1", "{}",
                        "x-amz-target", "AmazonSSM.StartSession"), issued(SESSION, CHANNEL)),
                Arguments.of("stream URL host in upper case", call("AmazonSSM.StartSession"),
                        issued(SESSION, CHANNEL.replace("ssmmessages.us-east-1", "SSMMESSAGES.US-EAST-1"))),
                Arguments.of("JSON escapes in the stream URL", call("AmazonSSM.StartSession"),
                        issued(SESSION, CHANNEL.replace("/", "\\/"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("learned")
    void aStreamUrlIssuedForAnAllowedAccountOpensOnce(String name, RequestFacts call, String body) {
        respond(call, ALLOWED_CORP, jsonResponse(200, body));

        Decision first = open(CHANNEL);
        assertThat(first.reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
        assertThat(first.evidence().principalAccount()).isEqualTo(CORP);
        assertThat(first.evidence().flow()).isEqualTo(SsmDataChannels.FLOW);
        assertThat(open(CHANNEL).reason()).as("a stream URL opens once per issue").isEqualTo(Reason.SSM_SESSION_UNKNOWN);
    }

    static Stream<Arguments> notLearned() {
        Decision foreign = Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "aws.accounts")
                .withEvidence(Evidence.builder().principalAccount(FOREIGN).build());
        Decision reportedDeny = Decision.deny(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "aws.accounts")
                .withEvidence(Evidence.builder().principalAccount(CORP).build()).inMode(Mode.REPORT);
        Decision noPrincipal = Decision.allow(Reason.AWS_NO_ACCOUNT_EVIDENCE, "");
        String ok = issued(SESSION, CHANNEL);
        return Stream.of(
                Arguments.of("a foreign principal", call("AmazonSSM.StartSession"), foreign, ok),
                Arguments.of("a deny passed in report mode", call("AmazonSSM.StartSession"), reportedDeny, ok),
                Arguments.of("no principal", call("AmazonSSM.StartSession"), noPrincipal, ok),
                Arguments.of("another target", call("AmazonSSM.SendCommand"), ALLOWED_CORP, ok),
                Arguments.of("two targets", call("AmazonSSM.StartSession", "X-Amz-Target", "AmazonSSM.StartSession"),
                        ALLOWED_CORP, ok),
                Arguments.of("a GET", request("GET", SSM, null, null, "X-Amz-Target", "AmazonSSM.StartSession"),
                        ALLOWED_CORP, ok),
                Arguments.of("another host in the URL", call("AmazonSSM.StartSession"), ALLOWED_CORP,
                        issued(SESSION, CHANNEL.replace("ssmmessages.us-east-1.amazonaws.com", "ssm.evil.example"))),
                Arguments.of("https, not wss", call("AmazonSSM.StartSession"), ALLOWED_CORP,
                        issued(SESSION, CHANNEL.replace("wss://", "https://"))),
                Arguments.of("another session's URL", call("AmazonSSM.StartSession"), ALLOWED_CORP,
                        issued("operator-other", CHANNEL)),
                Arguments.of("no StreamUrl", call("AmazonSSM.StartSession"), ALLOWED_CORP,
                        "{\"SessionId\":\"" + SESSION + "\"}"),
                Arguments.of("not JSON", call("AmazonSSM.StartSession"), ALLOWED_CORP, "<xml/>"),
                Arguments.of("a bad URL", call("AmazonSSM.StartSession"), ALLOWED_CORP, issued(SESSION, "wss://[::1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notLearned")
    void nothingElseTeachesAStreamUrl(String name, RequestFacts call, Decision decision, String body) {
        respond(call, decision, jsonResponse(200, body));

        assertThat(open(CHANNEL).reason()).isEqualTo(Reason.SSM_SESSION_UNKNOWN);
        assertThat(store.size()).isZero();
    }

    @Test
    void aGzippedResponseIsRead() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
            z.write(issued(SESSION, CHANNEL).getBytes(StandardCharsets.UTF_8));
        }
        respond(call("AmazonSSM.StartSession"), ALLOWED_CORP, new ResponseFacts(200,
                SimpleHeaders.of("Content-Encoding", "gzip"), ByteBuffer.wrap(zipped.toByteArray()), true));

        assertThat(open(CHANNEL).reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
    }

    @Test
    void anErrorResponseIsNotRead() {
        ResponseFacts error = new ResponseFacts(400, SimpleHeaders.of(), null, false);
        assertThat(ssm.responseBodyNeed(call("AmazonSSM.StartSession"), ALLOWED_CORP, error)).isEqualTo(BodyNeed.NONE);
        assertThat(ssm.responseBodyNeed(call("AmazonSSM.StartSession"), ALLOWED_CORP,
                new ResponseFacts(200, SimpleHeaders.of(), null, false)).kind()).isEqualTo(BodyNeed.Kind.WHOLE);
    }

    static Stream<Arguments> otherChannels() {
        return Stream.of(
                Arguments.of("another session", CHANNEL.replace(SESSION, "operator-at-home-1")),
                Arguments.of("another region", CHANNEL.replace("us-east-1", "eu-west-1")),
                Arguments.of("the path percent-encoded", CHANNEL.replace("operator-", "operator%2D")),
                Arguments.of("a trailing slash", CHANNEL.replace("?role", "/?role")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherChannels")
    void onlyTheLearnedStreamUrlOpens(String name, String url) {
        respond(call("AmazonSSM.StartSession"), ALLOWED_CORP, jsonResponse(200, issued(SESSION, CHANNEL)));

        assertThat(open(url).reason()).isEqualTo(Reason.SSM_SESSION_UNKNOWN);
        assertThat(open(CHANNEL).reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
    }

    @Test
    void aStreamUrlExpires() {
        respond(call("AmazonSSM.StartSession"), ALLOWED_CORP, jsonResponse(200, issued(SESSION, CHANNEL)));
        clock.advance(SsmDataChannels.LIFETIME.plus(Duration.ofSeconds(1)));

        assertThat(open(CHANNEL).reason()).isEqualTo(Reason.SSM_SESSION_UNKNOWN);
    }

    @Test
    void aSharedStoreThatHoldsNoAnswerDeniesAsUnavailable() {
        SharedProvenanceRulesTest.HandOff handOff = new SharedProvenanceRulesTest.HandOff();
        SsmDataChannels shared = new SsmDataChannels(SigninFixtures.SETTINGS, handOff, clock);

        Decision d = shared.decide(upgrade(CHANNEL), HostClass.AWS_API);

        assertThat(d.reason()).isEqualTo(Reason.PROVENANCE_STORE_UNAVAILABLE);
        assertThat(d.rule()).isEqualTo(SsmDataChannels.RULE);
        handOff.answer = Optional.of(new SigninTokenStore.IssuedToken(CORP, clock.instant(), clock.instant().plusSeconds(60)));
        assertThat(shared.decide(upgrade(CHANNEL), HostClass.AWS_API).reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
    }

    @Test
    void anAccountRemovedSinceIsRefused() {
        store.recordIssued(SsmDataChannels.keyOf("ssmmessages.us-east-1.amazonaws.com", "/v1/data-channel/" + SESSION),
                new SigninTokenStore.IssuedToken(FOREIGN, clock.instant(), clock.instant().plusSeconds(60)));

        assertThat(open(CHANNEL).reason()).isEqualTo(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED);
    }

    @Test
    void otherRequestsOnTheseHostsAreLeftToTheAwsInspector() {
        assertThat(ssm.decide(get("https://ssmmessages.us-east-1.amazonaws.com/v1/control-channel/i-0abc"),
                HostClass.AWS_API).reason()).isEqualTo(Reason.DOMAIN_ALLOWED);
        assertThat(ssm.decide(call("AmazonSSM.StartSession"), HostClass.AWS_API).reason())
                .isEqualTo(Reason.DOMAIN_ALLOWED);
        assertThat(ssm.bodyNeed(call("AmazonSSM.StartSession"), HostClass.AWS_API)).isEqualTo(BodyNeed.NONE);
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void handlesSsmAndItsMessagesHostsOnly(String host, boolean handled) {
        assertThat(ssm.handles(HostClass.AWS_API, HostName.parse(host))).isEqualTo(handled);
        assertThat(ssm.handles(HostClass.AWS_CUSTOMER_ENDPOINT, HostName.parse(host))).isFalse();
    }

    static Stream<Arguments> hosts() {
        return Stream.of(Arguments.of("ssm.us-east-1.amazonaws.com", true),
                Arguments.of("ssm-fips.us-east-1.amazonaws.com", true),
                Arguments.of("ssmmessages.eu-west-1.amazonaws.com", true),
                Arguments.of("SSMMESSAGES.EU-WEST-1.AMAZONAWS.COM.", true),
                Arguments.of("ssm-incidents.us-east-1.amazonaws.com", false),
                Arguments.of("sts.us-east-1.amazonaws.com", false),
                Arguments.of("ssmmessages.us-east-1.amazonaws.com.evil.example", false));
    }
}
