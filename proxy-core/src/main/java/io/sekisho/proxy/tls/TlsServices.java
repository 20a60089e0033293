package io.sekisho.proxy.tls;

import io.sekisho.policy.Nullable;
import io.sekisho.tls.UpstreamTls;

/**
 * The TLS parts of a running proxy, built once at start-up.
 *
 * @param interception the CA and leaf cache; null when {@code tls} is not configured (nothing is
 *     intercepted then)
 * @param upstream verification of https upstreams (JDK roots plus {@code upstream.trustedCertificates});
 *     null only in tests that never reach an https upstream
 */
public record TlsServices(@Nullable Interception interception, @Nullable UpstreamTls upstream) {
    public static final TlsServices NONE = new TlsServices(null, null);
}
