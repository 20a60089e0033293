package io.sekisho.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Optional;

/**
 * Which TLS implementation the SSL contexts use. BoringSSL (netty-tcnative, shipped inside its
 * jar for linux-x86_64 and linux-aarch_64) is preferred: it costs less CPU per handshake and per
 * record (see docs/performance.md); the JDK's SunJSSE is the fallback where it cannot load.
 */
public enum TlsProvider {
    OPENSSL(SslProvider.OPENSSL),
    JDK(SslProvider.JDK);

    private final SslProvider netty;

    TlsProvider(SslProvider netty) {
        this.netty = netty;
    }

    /** BoringSSL when its native library loads on this machine, else the JDK. */
    public static TlsProvider preferred() {
        return OPENSSL.isAvailable() ? OPENSSL : JDK;
    }

    /** Why BoringSSL did not load, for the start-up log line; empty when it did. */
    public static Optional<String> openSslUnavailableReason() {
        Throwable cause = OpenSsl.unavailabilityCause();
        return cause == null ? Optional.empty() : Optional.of(String.valueOf(cause));
    }

    public boolean isAvailable() {
        return this == JDK || OpenSsl.isAvailable();
    }

    /** For the start-up log line, e.g. "BoringSSL (netty-tcnative)". */
    public String description() {
        if (this == OPENSSL) {
            return OpenSsl.isAvailable() ? OpenSsl.versionString() + " (netty-tcnative)" : "OpenSSL (unavailable)";
        }
        return "JDK SunJSSE (Java " + Runtime.version() + ")";
    }

    SslProvider netty() {
        return netty;
    }
}
