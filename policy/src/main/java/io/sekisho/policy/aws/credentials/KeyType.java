package io.sekisho.policy.aws.credentials;

/** The kind of an access key, as the audit line reports it ({@code keyType}). */
public enum KeyType {
    /** {@code AKIA…}: an IAM user's long-term access key. */
    LONG_TERM("long-term"),
    /** {@code ASIA…}: temporary STS credentials (with a session token). */
    TEMPORARY("temporary"),
    /** Any other prefix. */
    UNKNOWN("unknown");

    private final String auditName;

    KeyType(String auditName) {
        this.auditName = auditName;
    }

    /** The value written to the audit log. */
    public String auditName() {
        return auditName;
    }
}
