package io.sekisho.policy.signin;

import io.sekisho.policy.Reason;
import java.util.Objects;

/**
 * A parse or evidence failure that ends in a deny with its own reason and rule. Thrown inside
 * the package only and turned into a {@link io.sekisho.policy.Decision} by
 * {@link Findings#deny}. The message says what was wrong, never the offending value (it may
 * be a token, a password or an assertion).
 */
final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Reason reason;
    private final String rule;

    Rejection(Reason reason, String message) {
        this(reason, Rules.NONE, message);
    }

    Rejection(Reason reason, String rule, String message) {
        // No stack trace: this is an expected outcome on hostile input, not a bug.
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
        this.rule = Objects.requireNonNull(rule);
    }

    Reason reason() {
        return reason;
    }

    String rule() {
        return rule;
    }
}
