package io.sekisho.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** The one place that says which protocols, suites and ALPN both TLS sides use. */
final class TlsContexts {

    /** TLS 1.0 and 1.1 are deprecated (RFC 8996). */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * TLS 1.3's suites, then TLS 1.2 with forward secrecy and AEAD only (RFC 9325 §4.2): no CBC,
     * no static RSA key exchange. Suites a provider lacks are filtered out.
     */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * Only HTTP/1.1 inside the tunnel (HTTP/2 is future work). A client that offers only h2
     * gets no ALPN answer and falls back to HTTP/1.1 rather than a fatal alert (RFC 7301 §3.2
     * allows either).
     */
    static final ApplicationProtocolConfig ALPN_HTTP_1_1 = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    /**
     * Per leaf context: the server-side cache for TLS 1.2 session-ID resumption. TLS 1.3 resumes
     * with tickets in both providers (tested in ServerTlsHandshakeTest).
     */
    static final long SESSION_CACHE_SIZE = 256;
    /** Resumption skips the certificate and key exchange; an hour bounds a stolen ticket's use. */
    static final long SESSION_TIMEOUT_SECONDS = 3600;

    private TlsContexts() {
    }

    /** The client-facing context that presents {@code chain} (leaf first). */
    static SslContext server(PrivateKey key, List<X509Certificate> chain, TlsProvider provider) throws SSLException {
        return SslContextBuilder.forServer(key, chain)
                .sslProvider(provider.netty())
                .protocols(PROTOCOLS)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(ALPN_HTTP_1_1)
                .sessionCacheSize(SESSION_CACHE_SIZE)
                .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                .build();
    }

    /** The upstream-facing context: verified against {@code trust}, hostname checked (RFC 6125). */
    static SslContext client(TrustManagerFactory trust, TlsProvider provider) throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(provider.netty())
                .trustManager(trust)
                .endpointIdentificationAlgorithm("HTTPS")
                .protocols(PROTOCOLS)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(ALPN_HTTP_1_1)
                .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                .build();
    }
}
