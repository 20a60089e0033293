package io.sekisho.tls;

/**
 * What went wrong in an upstream TLS handshake, as far as the audit log cares. proxy-core maps
 * these to the reason codes UPSTREAM_CERT_INVALID and UPSTREAM_TLS_FAILED; a handshake timeout
 * ({@code SslHandshakeTimeoutException}) it recognises itself as UPSTREAM_TIMEOUT.
 */
public enum UpstreamFailure {
    /** The upstream's certificate is untrusted, expired, not yet valid, self-signed or for another host. */
    CERT_INVALID,
    /** Anything else: no common protocol or suite, an alert, bytes that are not TLS, a reset. */
    TLS_FAILED
}
