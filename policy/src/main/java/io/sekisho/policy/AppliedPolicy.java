package io.sekisho.policy;

import java.util.Objects;

/**
 * Which policy decided: the top level ({@link #DEFAULT_NAME}) or a {@code policies} entry chosen
 * for the exchange's user and client network, and the mode that entry runs in. Written into the
 * audit line's {@code policy} and {@code mode}. {@link #NONE} on decisions made before any policy
 * (client networks, authentication, framing refusals).
 *
 * @param name the entry's {@code name}, {@code default} for the top level, "" for none
 * @param mode the mode the entry applied
 */
public record AppliedPolicy(String name, Mode mode) {
    /** The name of the top-level policy in audit lines. */
    public static final String DEFAULT_NAME = "default";
    public static final AppliedPolicy NONE = new AppliedPolicy("", Mode.ENFORCE);

    public AppliedPolicy {
        Objects.requireNonNull(name);
        Objects.requireNonNull(mode);
    }

    public boolean none() {
        return name.isEmpty();
    }

    // Written out: the generated ones dispatch through method handles on every decision.
    @Override
    public boolean equals(Object o) {
        return o instanceof AppliedPolicy p && mode == p.mode && name.equals(p.name);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + mode.hashCode();
    }
}
