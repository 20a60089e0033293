package io.sekisho.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The inspectors of one engine, in the order {@link StandardPolicy} registers them, asked
 * together: every inspector that {@linkplain RequestInspector#handles handles} a request adds
 * its decision and evidence to it, up to and including the first that is
 * {@linkplain RequestInspector#exclusive exclusive}. Decisions combine here, once: the first
 * deny wins, its evidence completed by the others'; body needs combine to the largest.
 */
final class Inspectors {
    private final RequestInspector[] all;

    Inspectors(List<RequestInspector> inspectors) {
        this.all = inspectors.toArray(new RequestInspector[0]);
    }

    /** The index of the first inspector for this host, or -1. */
    private int first(HostClass hc, HostName host) {
        return from(0, hc, host);
    }

    /** The index of the inspector after {@code i} that also judges this host, or -1. */
    private int next(int i, HostClass hc, HostName host) {
        return all[i].exclusive() ? -1 : from(i + 1, hc, host);
    }

    private int from(int start, HostClass hc, HostName host) {
        for (int i = start; i < all.length; i++) {
            if (all[i].handles(hc, host)) {
                return i;
            }
        }
        return -1;
    }

    boolean any(HostClass hc, HostName host) {
        return first(hc, host) >= 0;
    }

    BodyNeed bodyNeed(RequestFacts f, HostClass hc, RequestMemo memo) {
        BodyNeed need = BodyNeed.NONE;
        for (int i = first(hc, f.host()); i >= 0; i = next(i, hc, f.host())) {
            need = larger(need, Objects.requireNonNull(all[i].bodyNeed(f, hc, memo), "body need"));
        }
        return need;
    }

    /** The combined decision, or null when no inspector judges this host. */
    @Nullable Decision decide(RequestFacts f, HostClass hc, RequestMemo memo) {
        Decision d = null;
        for (int i = first(hc, f.host()); i >= 0; i = next(i, hc, f.host())) {
            d = combine(d, Objects.requireNonNull(all[i].decide(f, hc, memo), "inspector decision"));
        }
        return d;
    }

    @Nullable Decision onHeaders(RequestFacts f, HostClass hc, RequestMemo memo) {
        Decision d = null;
        for (int i = first(hc, f.host()); i >= 0; i = next(i, hc, f.host())) {
            d = combine(d, Objects.requireNonNull(all[i].onHeaders(f, hc, memo), "inspector decision"));
        }
        return d;
    }

    @Nullable Decision onTrailers(RequestFacts f, HostClass hc, Headers trailers, RequestMemo memo) {
        Decision d = null;
        for (int i = first(hc, f.host()); i >= 0; i = next(i, hc, f.host())) {
            d = combine(d, Objects.requireNonNull(all[i].onTrailers(f, hc, trailers, memo), "inspector decision"));
        }
        return d;
    }

    /** The first key an inspector wants looked up. */
    Optional<String> keyNeedingLookup(RequestFacts f, HostClass hc, RequestMemo memo) {
        for (int i = first(hc, f.host()); i >= 0; i = next(i, hc, f.host())) {
            Optional<String> key = all[i].keyNeedingLookup(f, memo);
            if (key.isPresent()) {
                return key;
            }
        }
        return Optional.empty();
    }

    boolean readsResponse(RequestFacts f, HostClass hc) {
        for (int i = first(hc, f.host()); i >= 0; i = next(i, hc, f.host())) {
            if (all[i].readsResponse(f)) {
                return true;
            }
        }
        return false;
    }

    BodyNeed responseBodyNeed(RequestFacts f, HostClass hc, Decision decision, ResponseFacts response) {
        BodyNeed need = BodyNeed.NONE;
        for (int i = first(hc, f.host()); i >= 0; i = next(i, hc, f.host())) {
            need = larger(need, Objects.requireNonNull(all[i].responseBodyNeed(f, decision, response), "body need"));
        }
        return need;
    }

    void learn(RequestFacts f, HostClass hc, Decision decision, ResponseFacts response) {
        for (int i = first(hc, f.host()); i >= 0; i = next(i, hc, f.host())) {
            all[i].onResponse(f, decision, response);
        }
    }

    /** The response's verdict: the first inspector's deny, else the request's decision. */
    Decision judgeResponse(RequestFacts f, HostClass hc, Decision decision, ResponseFacts response) {
        for (int i = first(hc, f.host()); i >= 0; i = next(i, hc, f.host())) {
            Decision d = Objects.requireNonNull(all[i].judgeResponse(f, decision, response), "response decision");
            if (!d.allowed()) {
                return d;
            }
        }
        return decision;
    }

    /** The first deny wins; either way the evidence is the first's, completed by the second's. */
    static Decision combine(@Nullable Decision first, Decision second) {
        if (first == null) {
            return second;
        }
        Evidence ev = first.evidence().completedBy(second.evidence());
        return first.allowed() && !second.allowed() ? second.withEvidence(ev) : first.withEvidence(ev);
    }

    /** The need that covers both: the whole body over a prefix over none, and the larger limit. */
    static BodyNeed larger(BodyNeed a, BodyNeed b) {
        if (b.kind() == BodyNeed.Kind.NONE) {
            return a;
        }
        if (a.kind() == BodyNeed.Kind.NONE) {
            return b;
        }
        BodyNeed.Kind kind = a.kind() == BodyNeed.Kind.WHOLE || b.kind() == BodyNeed.Kind.WHOLE
                ? BodyNeed.Kind.WHOLE : BodyNeed.Kind.PREFIX;
        return new BodyNeed(kind, Math.max(a.limit(), b.limit()));
    }
}
