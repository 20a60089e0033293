package io.sekisho.proxy.audit;

/**
 * The audit line's keys. They are part of the product's interface (SIEM rules match on them),
 * so a key is never renamed once shipped (STYLE.md rule 14).
 */
public final class AuditFields {
    public static final String TIME = "time";
    public static final String REQUEST_ID = "requestId";
    /** Which Sekisho of a group wrote the line ({@code audit.instance}, the host name by default). */
    public static final String INSTANCE = "instance";
    public static final String CLIENT = "client";
    public static final String METHOD = "method";
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String PATH = "path";
    public static final String VERDICT = "verdict";
    public static final String REASON = "reason";
    public static final String RULE = "rule";
    public static final String MODE = "mode";
    public static final String WOULD_DENY = "wouldDeny";
    public static final String BYTES_UP = "bytesUp";
    public static final String BYTES_DOWN = "bytesDown";
    public static final String DURATION_MS = "durationMs";
    /** The status sent to the client; 0 when none was. */
    public static final String STATUS = "status";
    // Written only when known (non-empty).
    public static final String USER_AGENT = "userAgent";
    public static final String TLS_VERSION = "tlsVersion";
    public static final String SNI = "sni";
    /** Who the client proved to be ({@code auth}): "" and [] when anonymous. */
    public static final String USER = "user";
    public static final String GROUPS = "groups";
    public static final String AUTH_SCHEME = "authScheme";
    /** The policy that decided: a {@code policies} entry's name, "default" for the top level, "" for none. */
    public static final String POLICY = "policy";

    // Evidence: written only when non-empty.
    public static final String PRINCIPAL_ACCOUNT = "principalAccount";
    public static final String RESOURCE_ACCOUNTS = "resourceAccounts";
    public static final String ACCESS_KEY_ID = "accessKeyId";
    public static final String KEY_TYPE = "keyType";
    public static final String SERVICE = "service";
    public static final String REGION = "region";
    public static final String ACTION = "action";
    public static final String SIGNING = "signing";
    public static final String FLOW = "flow";
    public static final String IDENTITY_CENTER = "identityCenter";

    private AuditFields() {
    }
}
