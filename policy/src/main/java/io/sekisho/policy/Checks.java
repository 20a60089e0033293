package io.sekisho.policy;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The checks a {@link Conversation} puts in order: each one judges one thing, raw (no report
 * mode) and may throw; the conversation combines them, applies report mode and turns a throw
 * into a deny. {@link PolicyEngine} is the production set; tests supply their own.
 */
public interface Checks {

    /** A destination by name and port, with the interception choice (set even on a deny). */
    Decision byNameAndPort(ConnectFacts facts);

    /** One resolved address; {@code fromOverride}: it came from {@code upstream.resolve}. */
    Decision byAddress(InetAddress address, boolean fromOverride);

    /**
     * A request's destination by name and port alone: for an absolute-form request, before its
     * name is resolved (a name the rules deny is never looked up in DNS).
     */
    Decision destination(RequestFacts facts);

    /** How much of the request body {@link #request} reads. */
    BodyNeed bodyNeed(RequestFacts facts);

    /** The verdict on the headers alone, before a body is invited with 100 Continue. */
    Decision onHeaders(RequestFacts facts);

    /** The request: its destination again, then its content; {@code facts.body()} as asked. */
    Decision request(RequestFacts facts);

    /** After {@code AWS_KEY_UNRESOLVABLE}: the key whose lookup would change the answer, if any. */
    default Optional<String> keyNeedingLookup(RequestFacts facts) {
        return Optional.empty();
    }

    /** True when this request's response body will be read (see {@link Decision#readsResponse}). */
    default boolean readsResponse(RequestFacts facts) {
        return false;
    }

    /** The HTTP trailers of an allowed request. */
    Decision trailers(RequestFacts facts, Headers trailers);

    /** How much of the response body {@link #learn} reads. */
    default BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        return BodyNeed.NONE;
    }

    /** Learns from the response to an allowed request (token provenance); best effort. */
    default void learn(RequestFacts request, Decision decision, ResponseFacts response) {
    }

    /**
     * The response's own verdict, once the body {@link #responseBodyNeed} asked for is read: the
     * request's decision, or a deny that replaces the response (a token issued for a foreign
     * account never reaches the client).
     */
    default Decision judgeResponse(RequestFacts request, Decision decision, ResponseFacts response) {
        return decision;
    }
}
