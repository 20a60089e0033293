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
        if (inspectors.size() >= Long.SIZE) {
            // One bit each in a long, the top one left for RequestMemo.NOT_KEPT.
            throw new IllegalArgumentException("at most " + (Long.SIZE - 1) + " inspectors");
        }
        this.all = inspectors.toArray(new RequestInspector[0]);
    }

    /**
     * The inspectors that judge this host, as a bit set over their indexes (in order, so
     * ascending bits): each that handles it, up to and including the first exclusive one. Worked
     * out once per exchange and kept in its memo, so that the conversation's several questions
     * about one request (and its response) ask each inspector's {@code handles} once.
     */
    private long chain(HostClass hc, HostName host, RequestMemo memo) {
        long kept = memo.inspectors(this);
        if (kept != RequestMemo.NOT_KEPT) {
            return kept;
        }
        long chain = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i].handles(hc, host)) {
                chain |= 1L << i;
                if (all[i].exclusive()) {
                    break;
                }
            }
        }
        memo.inspectors(this, chain);
        return chain;
    }

    boolean any(HostClass hc, HostName host, RequestMemo memo) {
        return chain(hc, host, memo) != 0;
    }

    BodyNeed bodyNeed(RequestFacts f, HostClass hc, RequestMemo memo) {
        BodyNeed need = BodyNeed.NONE;
        for (long m = chain(hc, f.host(), memo); m != 0; m &= m - 1) {
            RequestInspector in = all[Long.numberOfTrailingZeros(m)];
            need = larger(need, Objects.requireNonNull(in.bodyNeed(f, hc, memo), "body need"));
        }
        return need;
    }

    /** The combined decision, or null when no inspector judges this host. */
    @Nullable Decision decide(RequestFacts f, HostClass hc, RequestMemo memo) {
        Decision d = null;
        for (long m = chain(hc, f.host(), memo); m != 0; m &= m - 1) {
            RequestInspector in = all[Long.numberOfTrailingZeros(m)];
            d = combine(d, Objects.requireNonNull(in.decide(f, hc, memo), "inspector decision"));
        }
        return d;
    }

    @Nullable Decision onHeaders(RequestFacts f, HostClass hc, RequestMemo memo) {
        Decision d = null;
        for (long m = chain(hc, f.host(), memo); m != 0; m &= m - 1) {
            RequestInspector in = all[Long.numberOfTrailingZeros(m)];
            d = combine(d, Objects.requireNonNull(in.onHeaders(f, hc, memo), "inspector decision"));
        }
        return d;
    }

    @Nullable Decision onTrailers(RequestFacts f, HostClass hc, Headers trailers, RequestMemo memo) {
        Decision d = null;
        for (long m = chain(hc, f.host(), memo); m != 0; m &= m - 1) {
            RequestInspector in = all[Long.numberOfTrailingZeros(m)];
            d = combine(d, Objects.requireNonNull(in.onTrailers(f, hc, trailers, memo), "inspector decision"));
        }
        return d;
    }

    /** The first key an inspector wants looked up. */
    Optional<String> keyNeedingLookup(RequestFacts f, HostClass hc, RequestMemo memo) {
        for (long m = chain(hc, f.host(), memo); m != 0; m &= m - 1) {
            Optional<String> key = all[Long.numberOfTrailingZeros(m)].keyNeedingLookup(f, memo);
            if (key.isPresent()) {
                return key;
            }
        }
        return Optional.empty();
    }

    boolean readsResponse(RequestFacts f, HostClass hc, RequestMemo memo) {
        for (long m = chain(hc, f.host(), memo); m != 0; m &= m - 1) {
            if (all[Long.numberOfTrailingZeros(m)].readsResponse(f)) {
                return true;
            }
        }
        return false;
    }

    BodyNeed responseBodyNeed(RequestFacts f, HostClass hc, Decision decision, ResponseFacts response,
            RequestMemo memo) {
        BodyNeed need = BodyNeed.NONE;
        for (long m = chain(hc, f.host(), memo); m != 0; m &= m - 1) {
            RequestInspector in = all[Long.numberOfTrailingZeros(m)];
            need = larger(need, Objects.requireNonNull(in.responseBodyNeed(f, decision, response), "body need"));
        }
        return need;
    }

    void learn(RequestFacts f, HostClass hc, Decision decision, ResponseFacts response, RequestMemo memo) {
        for (long m = chain(hc, f.host(), memo); m != 0; m &= m - 1) {
            all[Long.numberOfTrailingZeros(m)].onResponse(f, decision, response);
        }
    }

    /** The response's verdict: the first inspector's deny, else the request's decision. */
    Decision judgeResponse(RequestFacts f, HostClass hc, Decision decision, ResponseFacts response,
            RequestMemo memo) {
        for (long m = chain(hc, f.host(), memo); m != 0; m &= m - 1) {
            RequestInspector in = all[Long.numberOfTrailingZeros(m)];
            Decision d = Objects.requireNonNull(in.judgeResponse(f, decision, response), "response decision");
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
