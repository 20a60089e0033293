package io.sekisho.policy;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The decision engine as the proxy sees it: pure functions of the facts, no I/O, no logging
 * (the caller logs and counts). Every method returns a decision on every path; an exception
 * thrown from here is itself turned into {@link Decision#internalError()} by the caller.
 * Report mode is already applied to what these methods return.
 *
 * <p>Call order for a CONNECT: {@link #onConnect}, then {@link #onAddress} once the
 * upstream address is known; then, inside an intercepted tunnel, per request
 * {@link #bodyNeed}, {@link #onRequest}, {@link #onTrailers} when a chunked body ends with
 * trailers, and, for allowed requests, {@link #responseBodyNeed} and {@link #onResponse}. Absolute-form requests go through
 * {@link #onConnect} (port rules aside) and then the per-request calls.
 */
public interface Policy {

    /** Destination by name and port: deny, tunnel, or intercept. */
    Decision onConnect(ConnectFacts facts);

    /**
     * Destination by resolved address (STYLE.md rule 6). {@code fromOverride} is true when the
     * address came from {@code upstream.resolve}: the operator chose it, so private ranges are
     * not held against it.
     */
    Decision onAddress(ConnectFacts facts, InetAddress address, boolean fromOverride);

    /** How much of the request body {@link #onRequest} must see. */
    BodyNeed bodyNeed(RequestFacts facts);

    /** The per-request decision. {@code facts.body()} is set when {@link #bodyNeed} asked. */
    Decision onRequest(RequestFacts facts);

    /**
     * True when {@link #onResponse} must read this request's response body (a sign-in token
     * response): the proxy then limits {@code Accept-Encoding} to codings the JDK decodes
     * ({@code gzip, deflate}) and keeps the request body it captured for {@link #onResponse}.
     * Asked only for allowed requests, before they are sent.
     */
    default boolean readsResponse(RequestFacts request) {
        return false;
    }

    /**
     * May the client send its body? Asked only before a body the policy wants to see is read,
     * when the client waits for {@code 100 Continue} (RFC 9110 §10.1.1): a deny here is final
     * and answered without a 100; an allow is provisional, {@link #onRequest} decides again
     * with the body. The default judges the headers as {@link #onRequest} would.
     */
    default Decision onRequestHeaders(RequestFacts facts) {
        return onRequest(facts);
    }

    /**
     * The HTTP trailers of a chunked request, asked before its last chunk goes upstream and only
     * when it has trailers (issue 18 point 3): they arrive after {@link #onRequest} and can carry
     * what a header would (an Authorization, a session token). On a deny the proxy drops the last
     * chunk, so the origin never receives a complete request, and answers with the block response
     * if no response has started. The default allows: a policy that inspects nothing lets
     * trailers through as it lets headers through.
     */
    default Decision onTrailers(RequestFacts facts, Headers trailers) {
        return Decision.allow(Reason.DOMAIN_ALLOWED, "");
    }

    /**
     * The access key ID whose account the proxy should look up ({@code sts:GetAccessKeyInfo},
     * off the event loop) before calling {@link #onRequest} again, after a deny with
     * {@code AWS_KEY_UNRESOLVABLE}; empty when no lookup would change the answer.
     */
    default Optional<String> keyNeedingLookup(RequestFacts facts) {
        return Optional.empty();
    }

    /** How much of the response body {@link #onResponse} must see. */
    default BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        return BodyNeed.NONE;
    }

    /** Learns from an upstream response (token provenance). Never blocks, never throws. */
    default void onResponse(RequestFacts request, Decision decision, ResponseFacts response) {
    }
}
