package io.sekisho.policy;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy conversation: the order of the {@link Checks} for each phase of an exchange, and
 * the one place where their decisions are combined, report mode is applied and internal errors
 * become denies.
 *
 * <ul>
 *   <li>CONNECT: by name and port; then by every resolved address (any deny wins).</li>
 *   <li>REQUEST: the body when the inspector reads it (a client waiting for 100 Continue is
 *       told no on the headers alone when they already deny); for an absolute-form request its
 *       destination by name, then its addresses; then the request itself, judged once (and once
 *       more after a key lookup that {@code AWS_KEY_UNRESOLVABLE} asked for, or after the
 *       shared token store's answer that {@code PROVENANCE_STORE_UNAVAILABLE} asked for). Inside an
 *       intercepted tunnel a CONNECT that would have denied (report mode) still shows in the
 *       request's decision.</li>
 *   <li>TRAILERS: the inspector's verdict on them.</li>
 *   <li>RESPONSE: only for a request whose decision {@linkplain Decision#readsResponse reads
 *       the response}; the inspector learns; the request's decision stands unless the
 *       inspector judges the response a deny. Any other response has nothing to teach or judge:
 *       its answer is the request's decision, and the proxy need not ask.</li>
 * </ul>
 *
 * <p>In report mode a deny does not end the conversation: the proxy goes on as for an allow
 * (it needs the addresses to connect), and the decision that comes out says what enforce would
 * have done.
 */
public final class Conversation implements Policy {
    private final Checks engine;
    private final Mode mode;

    public Conversation(Checks checks, Mode mode) {
        this.engine = checks;
        this.mode = mode;
    }

    @Override
    public Answer decide(Exchange x) {
        Answer a;
        try {
            a = switch (x.phase()) {
                case CONNECT -> connect(x);
                case REQUEST -> request(x);
                case TRAILERS -> trailers(x);
                case RESPONSE -> response(x);
            };
        } catch (RuntimeException e) {
            a = Decision.internalError();
        }
        return a instanceof Decision d ? d.inMode(mode) : a;
    }

    private Answer connect(Exchange x) {
        Decision byName = engine.byNameAndPort(Objects.requireNonNull(x.connect(), "a CONNECT exchange has facts"));
        if (stops(byName)) {
            return byName;
        }
        if (x.route() == null) {
            return Need.ADDRESSES;
        }
        return withAddresses(byName, x.route());
    }

    private Answer request(Exchange x) {
        RequestFacts f = Objects.requireNonNull(x.request(), "a REQUEST exchange has facts");
        if (x.requestHasBody() && !x.bodyRead()) {
            BodyNeed need = engine.bodyNeed(f);
            if (need.kind() != BodyNeed.Kind.NONE) {
                @Nullable Decision onHeaders = x.expectsContinue() ? engine.onHeaders(f) : null;
                if (onHeaders != null && stops(onHeaders)) {
                    return inTunnel(x.tunnel(), onHeaders);
                }
                return new Need.RequestBody(need);
            }
        }
        if (x.tunnel() == null && x.route() == null) {
            // Absolute-form: the addresses before the content, once the name may be resolved, so
            // that the content is judged once (a sign-in token is redeemed by its judgement).
            Decision destination = engine.destination(f);
            return stops(destination) ? destination : Need.ADDRESSES;
        }
        Decision d = engine.request(f);
        if (d.reason() == Reason.AWS_KEY_UNRESOLVABLE) {
            Optional<String> key = engine.keyNeedingLookup(f);
            if (key.isPresent() && !x.keyLookedUp(key.get())) {
                return new Need.KeyLookup(key.get());
            }
        }
        if (d.reason() == Reason.PROVENANCE_STORE_UNAVAILABLE && !x.provenanceFetched()) {
            // A shared token store holds no answer for this exchange yet: the proxy fetches it
            // off the event loop and asks again (a second miss is the store being away).
            return Need.PROVENANCE;
        }
        Route route = x.route();
        d = x.tunnel() != null || route == null ? inTunnel(x.tunnel(), d) : withAddresses(d, route);
        return d.allowed() && engine.readsResponse(f) ? d.withResponseRead(true) : d;
    }

    /**
     * A trailer deny ends an allowed request; otherwise the request's decision stands. In report
     * mode the request goes on with what enforce would have done, and a response the request's
     * decision said the policy reads is still read.
     */
    private Decision trailers(Exchange x) {
        // Exchange.withTrailers sets all three; a TRAILERS exchange cannot be built without them.
        Decision decided = Objects.requireNonNull(x.decided());
        Decision t = engine.trailers(Objects.requireNonNull(x.request()), Objects.requireNonNull(x.trailers()));
        if (t.allowed()) {
            return decided;
        }
        Decision d = t.withEvidence(decided.evidence()).inMode(mode);
        return d.allowed() && decided.readsResponse() ? d.withResponseRead(true) : d;
    }

    private Answer response(Exchange x) {
        // Exchange.withResponse sets all three; a RESPONSE exchange cannot be built without them.
        ResponseFacts r = Objects.requireNonNull(x.response());
        RequestFacts request = Objects.requireNonNull(x.request());
        Decision decided = Objects.requireNonNull(x.decided());
        if (!decided.readsResponse()) {
            return decided;
        }
        if (r.body() == null) {
            BodyNeed need = engine.responseBodyNeed(request, decided, r);
            if (need.kind() != BodyNeed.Kind.NONE) {
                return new Need.ResponseBody(need.limit());
            }
        }
        Decision judged = engine.judgeResponse(request, decided, r);
        if (judged.allowed()) {
            // Only a response that reaches the client teaches anything.
            engine.learn(request, decided, r);
        }
        return judged;
    }

    /** A deny ends the conversation in enforce mode; in report mode the proxy goes on. */
    private boolean stops(Decision d) {
        return !d.allowed() && mode == Mode.ENFORCE;
    }

    /**
     * The check by address after the check by name: every address must pass; the name's deny,
     * if any, is the one reported; through a parent proxy there is nothing to check.
     */
    private Decision withAddresses(Decision byName, Route route) {
        if (route.viaParent() || !byName.allowed()) {
            return byName;
        }
        for (InetAddress a : route.addresses()) {
            Decision d = engine.byAddress(a, route.fromOverride());
            if (!d.allowed()) {
                return d.withIntercept(byName.intercept()).withEvidence(byName.evidence());
            }
        }
        return byName;
    }

    /**
     * A request inside an intercepted tunnel: its own decision, except that a tunnel the CONNECT
     * check would have denied (report mode) stays a would-deny with the request's evidence.
     */
    private static Decision inTunnel(@Nullable Decision tunnel, Decision request) {
        if (tunnel != null && tunnel.wouldDeny() && request.allowed()) {
            return tunnel.withEvidence(request.evidence());
        }
        return request;
    }
}
