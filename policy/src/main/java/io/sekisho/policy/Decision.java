package io.sekisho.policy;

import java.util.Objects;

/**
 * The outcome of one policy evaluation: an immutable value built on every path, deny by
 * default. {@code verdict} is what the proxy does; {@code reason} is why (for a report-mode
 * pass it keeps the deny code and {@code wouldDeny} is true); {@code rule} names the config
 * entry that matched ("" when none did); {@code evidence} is what the request revealed.
 *
 * <p>{@code intercept} only has meaning for a CONNECT: true when the tunnel must be
 * TLS-terminated so that each request inside can be inspected.
 */
public record Decision(
        Verdict verdict, Reason reason, String rule, boolean wouldDeny, boolean intercept, Evidence evidence) {

    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(evidence, "evidence");
        if (verdict == Verdict.DENY && wouldDeny) {
            throw new IllegalArgumentException("wouldDeny is only meaningful on an ALLOW");
        }
    }

    public static Decision allow(Reason reason, String rule) {
        return new Decision(Verdict.ALLOW, reason, rule, false, false, Evidence.NONE);
    }

    public static Decision deny(Reason reason, String rule) {
        return new Decision(Verdict.DENY, reason, rule, false, false, Evidence.NONE);
    }

    /** The fail-closed answer to an exception or an unexpected state. */
    public static Decision internalError() {
        return deny(Reason.INTERNAL_ERROR, "");
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }

    public Decision withEvidence(Evidence e) {
        return new Decision(verdict, reason, rule, wouldDeny, intercept, e);
    }

    public Decision withIntercept(boolean i) {
        return new Decision(verdict, reason, rule, wouldDeny, i, evidence);
    }

    /**
     * Applies the mode: in {@link Mode#REPORT} a deny becomes an allow that says it would
     * have denied, keeping the deny reason and rule so the audit line shows what enforce
     * would have done.
     */
    public Decision inMode(Mode mode) {
        if (mode == Mode.REPORT && verdict == Verdict.DENY) {
            return new Decision(Verdict.ALLOW, reason, rule, true, intercept, evidence);
        }
        return this;
    }
}
