package io.sekisho.proxy.testing;

import io.sekisho.policy.Answer;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Checks;
import io.sekisho.policy.Conversation;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.Headers;
import io.sekisho.policy.ConnectFacts;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Policy;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A small hand-written set of {@link Checks} for proxy tests, in the production
 * {@link Conversation} (which orders them, combines them and applies report mode): exact-name
 * allow list, loopback denied unless it came from upstream.resolve, optional body inspection,
 * and a record of what the proxy handed over.
 */
public final class TestPolicy implements Policy, Checks {
    private final Set<String> allowedHosts;
    private final Conversation conversation;
    private volatile Function<RequestFacts, BodyNeed> bodyNeed = f -> BodyNeed.NONE;
    private volatile Predicate<RequestFacts> denyRequest = f -> false;
    private volatile Evidence evidence = Evidence.NONE;
    private volatile int responseBodyBytes;
    private volatile boolean intercept;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger judged = new java.util.concurrent.atomic.AtomicInteger();
    private boolean keepSeen = true;
    private final List<String> responsesSeen = new CopyOnWriteArrayList<>();

    /** What onRequest was given: the facts and, when asked for, the body as text. */
    public record Seen(RequestFacts facts, String body, boolean bodyComplete) {
    }

    private TestPolicy(Mode mode, Set<String> allowedHosts) {
        this.conversation = new Conversation(this, mode);
        this.allowedHosts = Set.copyOf(allowedHosts);
    }

    @Override
    public Answer decide(Exchange exchange) {
        return conversation.decide(exchange);
    }

    public static TestPolicy allowing(String... hosts) {
        return new TestPolicy(Mode.ENFORCE, Set.of(hosts));
    }

    public static TestPolicy reportMode(String... hosts) {
        return new TestPolicy(Mode.REPORT, Set.of(hosts));
    }

    /** Ask for (up to {@code limit} bytes of) the body of every request. */
    /** How much body to hand over, per request. */
    public TestPolicy inspectBodies(Function<RequestFacts, BodyNeed> need) {
        this.bodyNeed = need;
        return this;
    }

    public TestPolicy inspectBodies(BodyNeed need) {
        this.bodyNeed = f -> need;
        return this;
    }

    /** Deny (BODY_MALFORMED) the requests matching {@code p}; it sees the body when inspected. */
    public TestPolicy denyRequestsWhere(Predicate<RequestFacts> p) {
        this.denyRequest = p;
        return this;
    }

    /** Attach this evidence to every request decision. */
    public TestPolicy withEvidence(Evidence e) {
        this.evidence = e;
        return this;
    }

    /** Ask for the first {@code n} bytes of every response body. */
    public TestPolicy inspectResponses(int n) {
        this.responseBodyBytes = n;
        return this;
    }

    public TestPolicy intercepting(boolean i) {
        this.intercept = i;
        return this;
    }

    @Override
    public Decision byNameAndPort(ConnectFacts facts) {
        String h = facts.host().value();
        return allowed(h)
                ? Decision.allow(Reason.DOMAIN_ALLOWED, h).withIntercept(intercept)
                : Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "");
    }

    private boolean allowed(String host) {
        return allowedHosts.contains(host) || allowedHosts.contains("*");
    }

    @Override
    public Decision byAddress(InetAddress address, boolean fromOverride) {
        if (!fromOverride && (address.isLoopbackAddress() || address.isSiteLocalAddress())) {
            return Decision.deny(Reason.PRIVATE_ADDRESS, "");
        }
        return Decision.allow(Reason.DOMAIN_ALLOWED, "");
    }

    /** As the real engine: an absolute-form request has had no CONNECT, so its host is judged here. */
    @Override
    public Decision destination(RequestFacts facts) {
        return facts.connectHost() == null && !allowed(facts.host().value())
                ? Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "") : Decision.allow(Reason.DOMAIN_ALLOWED, "");
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts) {
        return bodyNeed.apply(facts);
    }

    /** As the Policy default was: the request judged on its headers (and recorded). */
    @Override
    public Decision onHeaders(RequestFacts facts) {
        return request(facts);
    }

    @Override
    public Decision request(RequestFacts facts) {
        String body = null;
        if (facts.body() != null) {
            ByteBuffer b = facts.body().duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            body = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        judged.incrementAndGet();
        if (keepSeen) {
            seen.add(new Seen(facts, body, facts.bodyComplete()));
        }
        // As the real engine: an absolute-form request has had no CONNECT, so its host is judged here.
        Decision d = facts.connectHost() == null && !allowed(facts.host().value())
                ? Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "")
                : denyRequest.test(facts) ? Decision.deny(Reason.BODY_MALFORMED, "test-rule")
                : Decision.allow(Reason.DOMAIN_ALLOWED, facts.host().value());
        return d.withEvidence(evidence);
    }

    /** Trailers pass (the production inspectors' rules are tested with the real engine). */
    @Override
    public Decision trailers(RequestFacts facts, Headers trailers) {
        return Decision.allow(Reason.DOMAIN_ALLOWED, "");
    }

    /** Responses are read only when {@link #inspectResponses} asked for them. */
    @Override
    public boolean readsResponse(RequestFacts facts) {
        return responseBodyBytes > 0;
    }

    @Override
    public BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        return responseBodyBytes > 0 ? BodyNeed.prefix(responseBodyBytes) : BodyNeed.NONE;
    }

    @Override
    public void learn(RequestFacts request, Decision decision, ResponseFacts response) {
        String body = "";
        if (response.body() != null) {
            ByteBuffer b = response.body().duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            body = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        responsesSeen.add(response.status() + " " + body);
    }

    /** A body buffer as ISO-8859-1 text, without moving its position. */
    public static String text(ByteBuffer body) {
        ByteBuffer b = body.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Counts requests without keeping them (for floods: {@link #seen} copies its list on every add). */
    public TestPolicy countOnly() {
        this.keepSeen = false;
        return this;
    }

    /** How many requests {@link #request} judged. */
    public int judged() {
        return judged.get();
    }

    public List<Seen> seen() {
        return seen;
    }

    /** "status body-prefix" for each response the policy was told about. */
    public List<String> responsesSeen() {
        return responsesSeen;
    }
}
