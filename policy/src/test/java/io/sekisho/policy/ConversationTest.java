package io.sekisho.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The conversation (issue 10 points 1 and 2): what it asks for in each phase, in which order,
 * and how it combines the checks' decisions, applies report mode and fails closed, with scripted
 * checks so that each rule is seen alone.
 */
class ConversationTest {
    private static final ConnectFacts CONNECT = new ConnectFacts("127.0.0.1:1", HostName.parse("a.example"), 443);
    private static final Decision ALLOW = Decision.allow(Reason.DOMAIN_ALLOWED, "name");

    /** Checks that answer what the test sets and record what they were asked. */
    static final class Scripted implements Checks {
        Decision byName = ALLOW.withIntercept(true);
        Decision byAddress = Decision.allow(Reason.DOMAIN_ALLOWED, "");
        BodyNeed bodyNeed = BodyNeed.NONE;
        Decision onHeaders = Decision.allow(Reason.DOMAIN_ALLOWED, "");
        Decision request = Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "aws.accounts.allow");
        Optional<String> key = Optional.empty();
        boolean readsResponse;
        BodyNeed responseNeed = BodyNeed.NONE;
        RuntimeException throwOnRequest;
        final List<String> asked = new ArrayList<>();

        @Override
        public Decision byNameAndPort(ConnectFacts facts) {
            asked.add("name");
            return byName;
        }

        @Override
        public Decision byAddress(InetAddress address, boolean fromOverride) {
            asked.add("address " + address.getHostAddress() + (fromOverride ? " override" : ""));
            return address.isLoopbackAddress() && !fromOverride ? Decision.deny(Reason.PRIVATE_ADDRESS, "loopback")
                    : byAddress;
        }

        Decision destination = Decision.allow(Reason.DOMAIN_ALLOWED, "name");

        @Override
        public Decision destination(RequestFacts facts) {
            asked.add("destination");
            return destination;
        }

        @Override
        public BodyNeed bodyNeed(RequestFacts facts) {
            asked.add("bodyNeed");
            return bodyNeed;
        }

        @Override
        public Decision onHeaders(RequestFacts facts) {
            asked.add("headers");
            return onHeaders;
        }

        @Override
        public Decision request(RequestFacts facts) {
            asked.add("request" + (facts.body() == null ? "" : " with body"));
            if (throwOnRequest != null) {
                throw throwOnRequest;
            }
            return request;
        }

        @Override
        public Optional<String> keyNeedingLookup(RequestFacts facts) {
            return key;
        }

        @Override
        public boolean readsResponse(RequestFacts facts) {
            return readsResponse;
        }

        @Override
        public Decision trailers(RequestFacts facts, Headers trailers) {
            return trailers.get("Authorization") != null ? Decision.deny(Reason.BODY_TRAILER_CREDENTIAL, "")
                    : Decision.allow(Reason.DOMAIN_ALLOWED, "");
        }

        @Override
        public BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
            return responseNeed;
        }

        @Override
        public void learn(RequestFacts request, Decision decision, ResponseFacts response) {
            asked.add("learn " + response.status() + (response.body() == null ? "" : " with body"));
        }
    }

    private final Scripted checks = new Scripted();
    private final Conversation enforce = new Conversation(checks, Mode.ENFORCE);
    private final Conversation report = new Conversation(checks, Mode.REPORT);

    private static Route route(String... literals) {
        List<InetAddress> a = new ArrayList<>();
        for (String l : literals) {
            a.add(HostName.parse(l).literalAddress());
        }
        return new Route(a, false, false);
    }

    private static RequestFacts request(boolean inTunnel) {
        return new RequestFacts("r1", "127.0.0.1:1", "POST", inTunnel ? "https" : "http", HostName.parse("a.example"),
                inTunnel ? 443 : 80, "/", "", SimpleHeaders.EMPTY, null, false,
                inTunnel ? HostName.parse("a.example") : null);
    }

    @Test
    void aConnectAsksForAddressesAfterTheNameAndAnyAddressDenyWins() {
        Exchange x = Exchange.connect(CONNECT);
        assertThat(enforce.decide(x)).isEqualTo(Need.ADDRESSES);
        Decision d = (Decision) enforce.decide(x.withRoute(route("192.0.2.10", "127.0.0.1")));
        assertThat(d.reason()).isEqualTo(Reason.PRIVATE_ADDRESS);
        assertThat(d.intercept()).as("the name's interception choice stays").isTrue();
        assertThat(((Decision) enforce.decide(x.withRoute(route("192.0.2.10")))).rule()).isEqualTo("name");
    }

    @Test
    void throughAParentNoAddressIsChecked() {
        Decision d = (Decision) enforce.decide(Exchange.connect(CONNECT).withRoute(new Route(List.of(), false, true)));
        assertThat(d).isEqualTo(checks.byName);
        assertThat(checks.asked).containsExactly("name");
    }

    @Test
    void aNameDenyEndsTheConnectInEnforceButAsksForAddressesInReport() {
        checks.byName = Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "");
        assertThat(enforce.decide(Exchange.connect(CONNECT))).isEqualTo(checks.byName);
        Exchange x = Exchange.connect(CONNECT);
        assertThat(report.decide(x)).as("report mode connects: it needs the addresses").isEqualTo(Need.ADDRESSES);
        Decision d = (Decision) report.decide(x.withRoute(route("127.0.0.1")));
        assertThat(d.allowed()).isTrue();
        assertThat(d.wouldDeny()).isTrue();
        assertThat(d.reason()).as("the name's deny is the one reported").isEqualTo(Reason.DOMAIN_NOT_ALLOWED);
    }

    @Test
    void aRequestBodyIsAskedForOnlyWhenTheRequestHasOneAndTheChecksReadIt() {
        checks.bodyNeed = BodyNeed.whole(100);
        Exchange noBody = Exchange.request(request(true), false, false, ALLOW);
        assertThat(enforce.decide(noBody)).isInstanceOf(Decision.class);
        Exchange x = Exchange.request(request(true), true, false, ALLOW);
        assertThat(enforce.decide(x)).isEqualTo(new Need.RequestBody(BodyNeed.whole(100)));
        assertThat(enforce.decide(x.withRequestBody(ByteBuffer.wrap(new byte[3]), true))).isEqualTo(checks.request);
        assertThat(checks.asked).containsExactly("request", "bodyNeed", "request with body");
    }

    @Test
    void aClientWaitingFor100IsToldNoOnTheHeadersAloneWhenTheyDeny() {
        checks.bodyNeed = BodyNeed.whole(100);
        checks.onHeaders = Decision.deny(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "aws.accounts.allow");
        assertThat(enforce.decide(Exchange.request(request(true), true, true, ALLOW))).isEqualTo(checks.onHeaders);
        assertThat(enforce.decide(Exchange.request(request(true), true, false, ALLOW)))
                .as("not waiting: the headers are not judged apart").isInstanceOf(Need.RequestBody.class);
        Answer inReport = report.decide(Exchange.request(request(true), true, true, ALLOW));
        assertThat(inReport).as("report mode reads the body anyway").isInstanceOf(Need.RequestBody.class);
    }

    @Test
    void anUnresolvableKeyIsLookedUpOnceThenTheDenyStands() {
        checks.request = Decision.deny(Reason.AWS_KEY_UNRESOLVABLE, "");
        checks.key = Optional.of("ASIAEXAMPLEKEY");
        Exchange x = Exchange.request(request(true), false, false, ALLOW);
        assertThat(enforce.decide(x)).isEqualTo(new Need.KeyLookup("ASIAEXAMPLEKEY"));
        assertThat(enforce.decide(x.withKeyLookedUp("ASIAEXAMPLEKEY"))).isEqualTo(checks.request);
    }

    @Test
    void aSharedStoresAnswerIsFetchedOnceThenItsAbsenceDenies() {
        checks.request = Decision.deny(Reason.PROVENANCE_STORE_UNAVAILABLE, "signin.tokenProvenance");
        Exchange x = Exchange.request(request(true), false, false, ALLOW);
        assertThat(enforce.decide(x)).isEqualTo(Need.PROVENANCE);
        assertThat(enforce.decide(x.withProvenanceFetched())).isEqualTo(checks.request);
        assertThat(x.withProvenanceFetched().withKeyLookedUp("ASIAEXAMPLEKEY").provenanceFetched()).isTrue();
    }

    @Test
    void anAbsoluteFormRequestIsResolvedOnlyOnceItsNameIsAllowedAndJudgedOnce() {
        Exchange x = Exchange.request(request(false), false, false, null);
        assertThat(enforce.decide(x)).isEqualTo(Need.ADDRESSES);
        Decision d = (Decision) enforce.decide(x.withRoute(route("127.0.0.1")));
        assertThat(d.reason()).isEqualTo(Reason.PRIVATE_ADDRESS);
        assertThat(enforce.decide(x.withRoute(route("192.0.2.10")))).isEqualTo(checks.request);
        assertThat(checks.asked).containsExactly("destination", "request", "address 127.0.0.1", "request",
                "address 192.0.2.10");

        checks.destination = Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "");
        assertThat(enforce.decide(x)).as("a denied name is never resolved").isEqualTo(checks.destination);
        assertThat(report.decide(x)).as("report mode still connects").isEqualTo(Need.ADDRESSES);
    }

    @Test
    void aTunnelThatWouldHaveBeenDeniedStaysAWouldDenyWithTheRequestsEvidence() {
        Decision tunnel = Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "").inMode(Mode.REPORT);
        Evidence e = Evidence.NONE;
        checks.request = Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "aws.accounts.allow").withEvidence(e);
        Decision d = (Decision) report.decide(Exchange.request(request(true), false, false, tunnel));
        assertThat(d.wouldDeny()).isTrue();
        assertThat(d.reason()).isEqualTo(Reason.DOMAIN_NOT_ALLOWED);
        checks.request = Decision.deny(Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED, "aws.accounts.allow");
        Decision own = (Decision) report.decide(Exchange.request(request(true), false, false, tunnel));
        assertThat(own.reason()).as("the request's own deny is more specific").isEqualTo(
                Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED);
    }

    @Test
    void anAllowedRequestWhoseResponseIsReadSaysSo() {
        checks.readsResponse = true;
        Decision d = (Decision) enforce.decide(Exchange.request(request(true), false, false, ALLOW));
        assertThat(d.readsResponse()).isTrue();
        checks.request = Decision.deny(Reason.AWS_SIGNIN_TOKEN_UNKNOWN, "");
        assertThat(((Decision) enforce.decide(Exchange.request(request(true), false, false, ALLOW))).readsResponse())
                .isFalse();
    }

    @Test
    void anExceptionIsAnInternalErrorDenyInEnforceAndAWouldDenyInReport() {
        checks.throwOnRequest = new IllegalStateException("bug");
        Exchange x = Exchange.request(request(true), false, false, ALLOW);
        assertThat(enforce.decide(x)).isEqualTo(Decision.internalError());
        Decision d = (Decision) report.decide(x);
        assertThat(d.allowed()).isTrue();
        assertThat(d.wouldDeny()).isTrue();
        assertThat(d.reason()).isEqualTo(Reason.INTERNAL_ERROR);
    }

    @Test
    void trailersThatDenyEndTheRequestAndOthersLeaveItsDecision() {
        Exchange x = Exchange.request(request(true), true, false, ALLOW);
        Decision allowed = Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "aws.accounts.allow");
        assertThat(enforce.decide(x.withTrailers(allowed, SimpleHeaders.of("x-amz-checksum-crc32", "AAAA"))))
                .isEqualTo(allowed);
        Decision d = (Decision) enforce.decide(x.withTrailers(allowed, SimpleHeaders.of("Authorization", "x")));
        assertThat(d.reason()).isEqualTo(Reason.BODY_TRAILER_CREDENTIAL);
        assertThat(((Decision) report.decide(x.withTrailers(allowed, SimpleHeaders.of("Authorization", "x"))))
                .wouldDeny()).isTrue();
    }

    @Test
    void aTrailerDenyInReportModeKeepsTheResponseRead() {
        Exchange x = Exchange.request(request(true), true, false, ALLOW);
        Decision reading = Decision.allow(Reason.AWS_SIGNIN_ALLOWED, "").withResponseRead(true);
        Headers credential = SimpleHeaders.of("Authorization", "x");
        Decision reported = (Decision) report.decide(x.withTrailers(reading, credential));
        assertThat(reported.wouldDeny()).isTrue();
        assertThat(reported.reason()).isEqualTo(Reason.BODY_TRAILER_CREDENTIAL);
        assertThat(reported.readsResponse()).as("the request goes on, its response still read").isTrue();
        assertThat(((Decision) enforce.decide(x.withTrailers(reading, credential))).allowed()).isFalse();
        assertThat(((Decision) report.decide(x.withTrailers(ALLOW, credential))).readsResponse()).isFalse();
    }

    @Test
    void aResponseTheDecisionDoesNotReadIsNeitherAskedForNorLearnedFrom() {
        checks.responseNeed = BodyNeed.prefix(64);
        Decision allowed = Decision.allow(Reason.AWS_SIGNIN_ALLOWED, "");
        Exchange x = Exchange.request(request(true), false, false, ALLOW);
        ResponseFacts head = new ResponseFacts(200, SimpleHeaders.EMPTY, null, false);
        assertThat(enforce.decide(x.withResponse(allowed, head))).isEqualTo(allowed);
        ResponseFacts withBody = new ResponseFacts(200, SimpleHeaders.EMPTY, ByteBuffer.allocate(5), true);
        assertThat(report.decide(x.withResponse(allowed, withBody))).isEqualTo(allowed);
        assertThat(checks.asked).isEmpty();
    }

    @Test
    void aResponseIsLearnedFromWithTheBodyAskedFor() {
        checks.responseNeed = BodyNeed.prefix(64);
        Decision allowed = Decision.allow(Reason.AWS_SIGNIN_ALLOWED, "").withResponseRead(true);
        Exchange x = Exchange.request(request(true), false, false, ALLOW);
        ResponseFacts head = new ResponseFacts(200, SimpleHeaders.EMPTY, null, false);
        assertThat(enforce.decide(x.withResponse(allowed, head))).isEqualTo(new Need.ResponseBody(64));
        ResponseFacts withBody = new ResponseFacts(200, SimpleHeaders.EMPTY, ByteBuffer.allocate(5), true);
        assertThat(enforce.decide(x.withResponse(allowed, withBody))).isEqualTo(allowed);
        assertThat(checks.asked).containsExactly("learn 200 with body");
    }
}
