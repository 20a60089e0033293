package io.sekisho.proxy.testing;

import io.sekisho.policy.BodyNeed;
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
 * A small hand-written {@link Policy} for proxy tests until the real engine is wired in:
 * exact-name allow list, loopback denied unless it came from upstream.resolve, optional body
 * inspection, and a record of what the proxy handed over.
 */
public final class TestPolicy implements Policy {
    private final Set<String> allowedHosts;
    private final Mode mode;
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
        this.mode = mode;
        this.allowedHosts = Set.copyOf(allowedHosts);
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
    public Decision onConnect(ConnectFacts facts) {
        String h = facts.host().value();
        Decision d = allowed(h)
                ? Decision.allow(Reason.DOMAIN_ALLOWED, h).withIntercept(intercept)
                : Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "");
        return d.inMode(mode);
    }

    private boolean allowed(String host) {
        return allowedHosts.contains(host) || allowedHosts.contains("*");
    }

    @Override
    public Decision onAddress(ConnectFacts facts, InetAddress address, boolean fromOverride) {
        if (!fromOverride && (address.isLoopbackAddress() || address.isSiteLocalAddress())) {
            return Decision.deny(Reason.PRIVATE_ADDRESS, "").inMode(mode);
        }
        return Decision.allow(Reason.DOMAIN_ALLOWED, facts.host().value());
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts) {
        return bodyNeed.apply(facts);
    }

    @Override
    public Decision onRequest(RequestFacts facts) {
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
        // As the real engine: an absolute-form request has had no onConnect, so its host is judged here.
        Decision d = facts.connectHost() == null && !allowed(facts.host().value())
                ? Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "")
                : denyRequest.test(facts) ? Decision.deny(Reason.BODY_MALFORMED, "test-rule")
                : Decision.allow(Reason.DOMAIN_ALLOWED, facts.host().value());
        return d.withEvidence(evidence).inMode(mode);
    }

    @Override
    public BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        return responseBodyBytes > 0 ? BodyNeed.prefix(responseBodyBytes) : BodyNeed.NONE;
    }

    @Override
    public void onResponse(RequestFacts request, Decision decision, ResponseFacts response) {
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

    /** How many requests {@link #onRequest} judged. */
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
