package io.sekisho.policy;

import java.util.Objects;

/**
 * The one way an inspector's inner step says "deny, and stop here": a parse or evidence failure
 * carrying its own reason and rule. Every package of {@code policy} ({@code aws/} and
 * {@code signin/} alike) throws it from its inner steps and turns it into a {@link Decision} at
 * the inspector's edge, where the evidence gathered so far is at hand; a step that has nothing
 * to say returns normally (never {@code null} meaning "go on"). The message says what was wrong,
 * never the offending value (it may be a token, a password or an assertion).
 */
public class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Reason reason;
    private final String rule;

    public Rejection(Reason reason, String message) {
        this(reason, "", message);
    }

    public Rejection(Reason reason, String rule, String message) {
        // No stack trace: this is an expected outcome on hostile input, not a bug.
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
        this.rule = Objects.requireNonNull(rule);
    }

    /** The deny reason. */
    public final Reason reason() {
        return reason;
    }

    /** The configuration entry that decided, or empty. */
    public final String rule() {
        return rule;
    }
}
