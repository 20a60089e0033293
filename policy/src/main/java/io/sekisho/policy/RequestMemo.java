package io.sekisho.policy;

import io.sekisho.policy.HostClassifier.Classification;

/**
 * What the policy worked out about one exchange's request, kept for the exchange's next phases
 * so that nothing is worked out twice: the host's classification, and each inspector's parse of
 * the request (an AWS call is parsed once, at its head, and then reads its body when it comes).
 * One per {@link Exchange}, shared by the exchanges derived from it; an exchange is decided by
 * one thread at a time, so no locking. Not part of what the proxy sees.
 */
public final class RequestMemo {
    private @Nullable Classification classification;
    private @Nullable Object owner;
    private @Nullable Object state;

    /** A memo for one request (tests and direct callers start a fresh one per call). */
    public RequestMemo() {
    }

    @Nullable Classification classification() {
        return classification;
    }

    void classification(Classification c) {
        classification = c;
    }

    /** What {@code inspector} kept for this request, or null. */
    public @Nullable Object state(Object inspector) {
        return owner == inspector ? state : null;
    }

    /** Keeps {@code s} for this request on behalf of {@code inspector}. */
    public void keep(Object inspector, Object s) {
        owner = inspector;
        state = s;
    }
}
