package io.sekisho.policy;

/**
 * How decisions are applied. In {@link #REPORT} every deny is let through and logged with
 * {@code wouldDeny=true}; the decision itself is computed the same way (Envoy RBAC's shadow
 * engine, Smokescreen's enforce_would_deny).
 */
public enum Mode {
    ENFORCE,
    REPORT
}
