package io.sekisho.policy;

import java.net.InetAddress;
import java.util.List;

/**
 * Walks one {@link Policy#decide} conversation to its decision the way the proxy would, giving
 * what the policy asks for: a route (through a parent proxy unless an address is given), the
 * body already in the facts, no key lookups.
 */
public final class Ask {
    /** Through a parent proxy: nothing to check by address. */
    public static final Route VIA_PARENT = new Route(List.of(), false, true);

    private Ask() {
    }

    public static Decision connect(Policy p, ConnectFacts f) {
        return connect(p, f, VIA_PARENT);
    }

    public static Decision connect(Policy p, ConnectFacts f, Route route) {
        Exchange x = Exchange.connect(f);
        Answer a = p.decide(x);
        if (a == Need.ADDRESSES) {
            a = p.decide(x.withRoute(route));
        }
        return (Decision) a;
    }

    /** The CONNECT's decision once its name resolved to {@code address}. */
    public static Decision address(Policy p, ConnectFacts f, InetAddress address, boolean fromOverride) {
        return connect(p, f, new Route(List.of(address), fromOverride, false));
    }

    /**
     * A request whose facts already hold the body the policy will see (or none); inside a tunnel
     * (connectHost set) the CONNECT was allowed, else the destination goes through a parent.
     */
    public static Decision request(Policy p, RequestFacts f) {
        return request(p, f, f.connectHost() == null ? null : Decision.allow(Reason.DOMAIN_ALLOWED, ""));
    }

    public static Decision request(Policy p, RequestFacts f, Decision tunnel) {
        Exchange x = Exchange.request(f, false, false, tunnel);
        Answer a = p.decide(x);
        if (a == Need.ADDRESSES) {
            a = p.decide(x.withRoute(VIA_PARENT));
        }
        return (Decision) a;
    }

    /** What the policy asks of a request that announces a body: NONE when it decides without. */
    public static BodyNeed bodyNeed(Policy p, RequestFacts f) {
        Answer a = p.decide(Exchange.request(f, true, false,
                f.connectHost() == null ? null : Decision.allow(Reason.DOMAIN_ALLOWED, "")));
        return a instanceof Need.RequestBody b ? b.body() : BodyNeed.NONE;
    }

    /**
     * The answer to the head of a request that announces a body and waits for 100 Continue: a
     * need for the body, or a deny on the headers alone.
     */
    public static Answer headers(Policy p, RequestFacts f) {
        return p.decide(Exchange.request(f, true, true,
                f.connectHost() == null ? null : Decision.allow(Reason.DOMAIN_ALLOWED, "")));
    }

    /** True when a head waiting for 100 Continue is invited to send its body (or allowed outright). */
    public static boolean headersAllow(Policy p, RequestFacts f) {
        Answer a = headers(p, f);
        return a instanceof Need || ((Decision) a).allowed();
    }

    public static Decision trailers(Policy p, RequestFacts f, Headers trailers) {
        Exchange x = Exchange.request(f, true, false, Decision.allow(Reason.DOMAIN_ALLOWED, ""));
        return (Decision) p.decide(x.withTrailers(Decision.allow(Reason.DOMAIN_ALLOWED, ""), trailers));
    }

    /** The answer to a response: a need for its body, or the request's decision once it learned. */
    public static Answer response(Policy p, RequestFacts f, Decision decided, ResponseFacts r) {
        Exchange x = Exchange.request(f, false, false, Decision.allow(Reason.DOMAIN_ALLOWED, ""));
        return p.decide(x.withResponse(decided, r));
    }
}
