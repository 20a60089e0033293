package io.sekisho.policy;

/** What happens to a request or tunnel. There is no third value: "don't know" is {@link #DENY}. */
public enum Verdict {
    ALLOW,
    DENY
}
