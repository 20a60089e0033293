package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;

/**
 * A body the inspection must read that cannot be decoded: corrupt, too large once decoded, a
 * bomb, or badly framed (issue 18 point 3). A {@link Rejection} with the deny reason; no stack
 * trace, it is a verdict, not a fault.
 */
public final class UndecodableBody extends Rejection {
    private static final long serialVersionUID = 1L;

    UndecodableBody(Reason reason, String message) {
        super(reason, message);
    }
}
