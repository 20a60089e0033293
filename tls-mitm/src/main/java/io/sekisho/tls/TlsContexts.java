package io.sekisho.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSslX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
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
     * HTTP/1.1 only: upstream, a deny page, and an interception with {@code tls.http2} off. A
     * client that offers only h2 gets no ALPN answer and falls back to HTTP/1.1 rather than a
     * fatal alert (RFC 7301 §3.2 allows either).
     */
    static final ApplicationProtocolConfig ALPN_HTTP_1_1 = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    /**
     * HTTP/2 first, then HTTP/1.1 (RFC 9113 §3.2): the client-facing context of an interception
     * that offers h2 ({@code tls.http2}). No common protocol falls back to HTTP/1.1 as above.
     */
    static final ApplicationProtocolConfig ALPN_H2_HTTP_1_1 = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    /**
     * Per leaf context: the server-side cache for TLS 1.2 session-ID resumption. TLS 1.3 resumes
     * with tickets in both providers (tested in ServerTlsHandshakeTest).
     */
    static final long SESSION_CACHE_SIZE = 256;
    /** Resumption skips the certificate and key exchange; an hour bounds a stolen ticket's use. */
    static final long SESSION_TIMEOUT_SECONDS = 3600;

    private static final char[] IN_MEMORY_PASSWORD = "sekisho-in-memory".toCharArray();

    private TlsContexts() {
    }

    /** The client-facing contexts that present {@code chain} (leaf first): HTTP/1.1 only, then h2 and HTTP/1.1. */
    static SslContext[] servers(PrivateKey key, List<X509Certificate> chain, TlsProvider provider)
            throws SSLException {
        KeyManagerFactory keys = keyManagers(key, chain, provider);
        return new SslContext[] {server(keys, provider, ALPN_HTTP_1_1), server(keys, provider, ALPN_H2_HTTP_1_1)};
    }

    private static SslContext server(KeyManagerFactory keys, TlsProvider provider, ApplicationProtocolConfig alpn)
            throws SSLException {
        requireAvailable(provider);
        return SslContextBuilder.forServer(keys)
                .trustManager(NoClientCertificates.FACTORY)
                .sslProvider(provider.netty())
                .protocols(PROTOCOLS)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(alpn)
                .sessionCacheSize(SESSION_CACHE_SIZE)
                .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                .build();
    }

    private static void requireAvailable(TlsProvider provider) throws SSLException {
        if (!provider.isAvailable()) {
            throw new SSLException("TLS provider " + provider + " is not available here: "
                    + TlsProvider.openSslUnavailableReason().orElse("unknown reason"));
        }
    }

    /**
     * Key managers built once per leaf. Handing Netty the bare key would cost twice: it stores it
     * in a PKCS#12 key store (10,000 PBKDF2 rounds to encrypt, as many to decrypt: milliseconds
     * per leaf), and with BoringSSL it re-encodes and re-parses the key on every handshake. An
     * in-memory JKS store (never written anywhere; its "protection" is irrelevant) is cheap, and
     * OpenSslX509KeyManagerFactory parses the key into BoringSSL once.
     */
    private static KeyManagerFactory keyManagers(PrivateKey key, List<X509Certificate> chain, TlsProvider provider)
            throws SSLException {
        try {
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setKeyEntry("leaf", key, IN_MEMORY_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory factory = provider == TlsProvider.OPENSSL
                    ? new OpenSslX509KeyManagerFactory()
                    : KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, IN_MEMORY_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("cannot prepare the leaf key for TLS", e);
        }
    }

    /**
     * Client certificates are not requested (ClientAuth.NONE), yet without a trust manager Netty
     * hands BoringSSL every JDK root as the acceptable-CA list of each context: about 10 ms per
     * leaf for a list never sent. An empty one costs nothing and trusts no client.
     */
    private static final class NoClientCertificates {
        static final TrustManagerFactory FACTORY = create();

        private static TrustManagerFactory create() {
            try {
                KeyStore empty = KeyStore.getInstance("JKS");
                empty.load(null, null);
                TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
                factory.init(empty);
                return factory;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("an empty trust store cannot fail", e);
            }
        }
    }

    /**
     * The upstream-facing context: verified against {@code trust}, hostname checked (RFC 6125);
     * ALPN offers {@code http/1.1} alone, or {@code h2} first when {@code offerHttp2}.
     */
    static SslContext client(TrustManagerFactory trust, TlsProvider provider, boolean offerHttp2)
            throws SSLException {
        requireAvailable(provider);
        return SslContextBuilder.forClient()
                .sslProvider(provider.netty())
                .trustManager(trust)
                .endpointIdentificationAlgorithm("HTTPS")
                .protocols(PROTOCOLS)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(offerHttp2 ? ALPN_H2_HTTP_1_1 : ALPN_HTTP_1_1)
                .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                .build();
    }
}
