package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Reason;

/**
 * A body the inspection must read that cannot be decoded: corrupt, too large once decoded, a
 * bomb, or badly framed (issue 18 point 3). Carries the deny reason; no stack trace, it is a
 * verdict, not a fault.
 */
public final class UndecodableBody extends Exception {
    private static final long serialVersionUID = 1L;

    public final Reason reason;

    UndecodableBody(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }
}
