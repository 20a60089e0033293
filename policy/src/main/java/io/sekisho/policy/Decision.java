package io.sekisho.policy;

import java.util.Objects;

/**
 * The outcome of one policy evaluation: an immutable value built on every path, deny by
 * default. {@code verdict} is what the proxy does; {@code reason} is why (for a report-mode
 * pass it keeps the deny code and {@code wouldDeny} is true); {@code rule} names the config
 * entry that matched ("" when none did); {@code evidence} is what the request revealed.
 *
 * <p>{@code intercept} only has meaning for a CONNECT: true when the tunnel must be
 * TLS-terminated so that each request inside can be inspected. {@code readsResponse} only has
 * meaning for an allowed request: the policy has a response phase for it and will ask for its
 * response body (a sign-in token), so the proxy asks the origin only for codings the JDK decodes
 * ({@code gzip, deflate}). Without it the response has nothing to teach the policy or to be
 * judged on: the request's decision is the response's, and the proxy does not report it.
 */
public record Decision(Verdict verdict, Reason reason, String rule, boolean wouldDeny, boolean intercept,
        Evidence evidence, boolean readsResponse, AppliedPolicy policy) implements Answer {

    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(policy, "policy");
        if (verdict == Verdict.DENY && (wouldDeny || readsResponse)) {
            throw new IllegalArgumentException("wouldDeny and readsResponse are only meaningful on an ALLOW");
        }
    }

    /** Before the policy set names the policy that decided ({@link #by}). */
    public Decision(Verdict verdict, Reason reason, String rule, boolean wouldDeny, boolean intercept,
            Evidence evidence, boolean readsResponse) {
        this(verdict, reason, rule, wouldDeny, intercept, evidence, readsResponse, AppliedPolicy.NONE);
    }

    /** Without the response-reading directive (most decisions). */
    public Decision(Verdict verdict, Reason reason, String rule, boolean wouldDeny, boolean intercept,
            Evidence evidence) {
        this(verdict, reason, rule, wouldDeny, intercept, evidence, false);
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
        return new Decision(verdict, reason, rule, wouldDeny, intercept, e, readsResponse, policy);
    }

    public Decision withIntercept(boolean i) {
        return new Decision(verdict, reason, rule, wouldDeny, i, evidence, readsResponse, policy);
    }

    /** The policy will read this allowed request's response (see the class comment). */
    public Decision withResponseRead(boolean r) {
        return new Decision(verdict, reason, rule, wouldDeny, intercept, evidence, r, policy);
    }

    /** Names the policy that made this decision (the policy set, once per answer). */
    public Decision by(AppliedPolicy p) {
        return p.equals(policy) ? this
                : new Decision(verdict, reason, rule, wouldDeny, intercept, evidence, readsResponse, p);
    }

    /**
     * This allowed request could not be completed: a deny with the failure's reason, the rule
     * ({@code cause} instead when not empty: what failed) and the evidence kept.
     */
    public Decision notCompleted(Reason failure, String cause) {
        return new Decision(Verdict.DENY, failure, cause.isEmpty() ? rule : cause, false, false, evidence, false,
                policy);
    }

    /**
     * What the audit line says when this decision's request could not be completed with
     * {@code failure}: in report mode, this would-deny (what enforce would have done); otherwise
     * the failure.
     */
    public Decision auditedWith(Decision failure) {
        return wouldDeny ? this : failure;
    }

    /**
     * Applies the mode: in {@link Mode#REPORT} a deny becomes an allow that says it would
     * have denied, keeping the deny reason and rule so the audit line shows what enforce
     * would have done.
     */
    public Decision inMode(Mode mode) {
        if (mode == Mode.REPORT && verdict == Verdict.DENY) {
            return new Decision(Verdict.ALLOW, reason, rule, true, intercept, evidence, false, policy);
        }
        return this;
    }
}
