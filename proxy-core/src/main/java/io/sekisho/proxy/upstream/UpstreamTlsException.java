package io.sekisho.proxy.upstream;

import io.sekisho.policy.Reason;

/**
 * The TLS handshake with an upstream failed. Carries the reason code and, for the audit line,
 * the class of the exception that failed it (never its message: that can quote certificate
 * contents or wire data).
 */
public final class UpstreamTlsException extends Exception {
    private final Reason reason;
    private final String cause;

    public UpstreamTlsException(Reason reason, String cause) {
        super(reason + " (" + cause + ")", null, false, false);
        this.reason = reason;
        this.cause = cause;
    }

    public Reason reason() {
        return reason;
    }

    /** The simple class name of the innermost exception, e.g. CertificateExpiredException. */
    public String causeName() {
        return cause;
    }
}
