package io.sekisho.policy;

import java.util.Optional;

/**
 * Per-request inspection for one class of traffic (AWS API calls; sign-in, portal and
 * console). The engine calls an inspector only for requests whose domain check passed and
 * whose host class the inspector {@link #handles}. Inspectors are pure and thread-safe;
 * report mode is applied by the engine, not here.
 */
public interface RequestInspector {

    /** True when this inspector judges requests to hosts of this class / name. */
    boolean handles(HostClass hostClass, HostName host);

    /**
     * True when no inspector after this one adds to a request this one {@linkplain #handles
     * handles}: its decision is the whole of the inspection (sign-in flows, whose judgement
     * redeems a token). By default an inspector is one contributor among those that handle a
     * request, and the engine combines their decisions and evidence (the first deny wins).
     */
    default boolean exclusive() {
        return false;
    }

    /** How much of the body {@link #decide} needs. */
    BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass);

    /** The decision for one request, with its evidence. Never null, never throws on bad input. */
    Decision decide(RequestFacts facts, HostClass hostClass);

    /**
     * True when {@link #onResponse} must read this request's response body (see {@link
     * Decision#readsResponse}). The response hooks ({@link #responseBodyNeed}, {@link #onResponse},
     * {@link #judgeResponse}) are asked only about requests for which this was true.
     */
    default boolean readsResponse(RequestFacts request) {
        return false;
    }

    /**
     * The headers-only verdict before the body is read ({@link Checks#onHeaders}): deny
     * only on evidence the headers already hold. The default objects to nothing, so a flow that
     * acts on {@link #decide} (a sign-in token redeemed once) is not run twice.
     */
    default Decision onHeaders(RequestFacts facts, HostClass hostClass) {
        return Decision.allow(Reason.DOMAIN_ALLOWED, "");
    }

    /**
     * The verdict on a request's HTTP trailers ({@link Checks#trailers}), asked only when
     * there are some. The default refuses them all: an inspector that has not said which
     * trailers its protocol defines lets none carry what a header would.
     */
    default Decision onTrailers(RequestFacts facts, HostClass hostClass, Headers trailers) {
        return Decision.deny(Reason.BODY_TRAILER_NOT_ALLOWED, "");
    }

    /** See {@link Checks#keyNeedingLookup}. */
    default Optional<String> keyNeedingLookup(RequestFacts facts) {
        return Optional.empty();
    }

    /** How much of the response body {@link #onResponse} needs. */
    default BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        return BodyNeed.NONE;
    }

    /*
     * The same questions, with the exchange's memo: an inspector that parses a request keeps its
     * parse there and reuses it at the exchange's next phase (the head, then the body). The
     * defaults ignore the memo.
     */

    /** {@link #bodyNeed(RequestFacts, HostClass)}, with the exchange's memo. */
    default BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass, RequestMemo memo) {
        return bodyNeed(facts, hostClass);
    }

    /** {@link #decide(RequestFacts, HostClass)}, with the exchange's memo. */
    default Decision decide(RequestFacts facts, HostClass hostClass, RequestMemo memo) {
        return decide(facts, hostClass);
    }

    /** {@link #onHeaders(RequestFacts, HostClass)}, with the exchange's memo. */
    default Decision onHeaders(RequestFacts facts, HostClass hostClass, RequestMemo memo) {
        return onHeaders(facts, hostClass);
    }

    /** {@link #onTrailers(RequestFacts, HostClass, Headers)}, with the exchange's memo. */
    default Decision onTrailers(RequestFacts facts, HostClass hostClass, Headers trailers, RequestMemo memo) {
        return onTrailers(facts, hostClass, trailers);
    }

    /** {@link #keyNeedingLookup(RequestFacts)}, with the exchange's memo. */
    default Optional<String> keyNeedingLookup(RequestFacts facts, RequestMemo memo) {
        return keyNeedingLookup(facts);
    }

    /** Learns from an allowed request's response (token provenance). */
    default void onResponse(RequestFacts request, Decision decision, ResponseFacts response) {
    }

    /**
     * Judges an allowed request's response once the body {@link #responseBodyNeed} asked for is
     * read: {@code decision} to let it through, or a deny that replaces it. Never throws.
     */
    default Decision judgeResponse(RequestFacts request, Decision decision, ResponseFacts response) {
        return decision;
    }
}
