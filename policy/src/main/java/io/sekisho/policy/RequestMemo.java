package io.sekisho.policy;

import io.sekisho.policy.HostClassifier.Classification;
import java.util.Arrays;

/**
 * What the policy worked out about one exchange's request, kept for the exchange's next phases
 * so that nothing is worked out twice: the host's classification, and each inspector's parse of
 * the request (an AWS call is parsed once, at its head, and then reads its body when it comes).
 * One per {@link Exchange}, shared by the exchanges derived from it; an exchange is decided by
 * one thread at a time, so no locking. Not part of what the proxy sees.
 */
public final class RequestMemo {
    private @Nullable Classification classification;
    /** Owners and their states, in pairs; two inspectors per request at most, in practice. */
    private Object[] kept = NOTHING;
    private static final Object[] NOTHING = new Object[0];

    /** Keeps nothing: for a question asked outside a conversation, whose answer is not reused. */
    public static final RequestMemo NONE = new RequestMemo(false);

    private final boolean keeps;
    private Identity identity = Identity.ANONYMOUS;
    /** The engine's inspectors that judge this request's host ({@link Inspectors}), and whose they are. */
    private long inspectors = NOT_KEPT;
    private @Nullable Object inspectorsOwner;
    /** The engine's conversation for this exchange: one per exchange, not one per question. */
    private @Nullable Conversation conversation;
    private @Nullable Object conversationOwner;

    /** {@link #inspectors(Object)} when nothing is kept: an engine has at most 63 inspectors, so never a set. */
    static final long NOT_KEPT = Long.MIN_VALUE;

    private RequestMemo(boolean keeps) {
        this.keeps = keeps;
    }

    /** A memo for one request (tests and direct callers start a fresh one per call). */
    public RequestMemo() {
        this(true);
    }

    /** Who sent the exchange ({@link Exchange#from}); anonymous when not known. */
    public Identity identity() {
        return identity;
    }

    void identity(Identity who) {
        if (keeps) {
            identity = who;
        }
    }

    @Nullable Classification classification() {
        return classification;
    }

    void classification(Classification c) {
        if (keeps) {
            classification = c;
        }
    }

    /** The inspectors {@code owner} found for this request, or {@link #NOT_KEPT}. */
    long inspectors(Object owner) {
        return owner == inspectorsOwner ? inspectors : NOT_KEPT;
    }

    void inspectors(Object owner, long found) {
        if (keeps) {
            inspectorsOwner = owner;
            inspectors = found;
        }
    }

    /** The conversation {@code engine} holds for this exchange (its checks bound to this memo), or null. */
    @Nullable Conversation conversation(Object engine) {
        return engine == conversationOwner ? conversation : null;
    }

    void conversation(Object engine, Conversation c) {
        if (keeps) {
            conversationOwner = engine;
            conversation = c;
        }
    }

    /** What {@code inspector} kept for this request, or null. */
    public @Nullable Object state(Object inspector) {
        for (int i = 0; i < kept.length; i += 2) {
            if (kept[i] == inspector) {
                return kept[i + 1];
            }
        }
        return null;
    }

    /** Keeps {@code s} for this request on behalf of {@code inspector}. */
    public void keep(Object inspector, Object s) {
        if (!keeps) {
            return;
        }
        for (int i = 0; i < kept.length; i += 2) {
            if (kept[i] == inspector) {
                kept[i + 1] = s;
                return;
            }
        }
        Object[] more = Arrays.copyOf(kept, kept.length + 2);
        more[kept.length] = inspector;
        more[kept.length + 1] = s;
        kept = more;
    }
}
