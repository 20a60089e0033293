package io.sekisho.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy → upstream TLS client. It trusts the JDK's default roots plus the extra PEM roots of
 * {@code upstream.trustedCertificates}, always checks the host name (RFC 6125 via the JDK's
 * "HTTPS" endpoint identification) and sends SNI. There is deliberately no way to turn any of
 * this off: an interception proxy that does not verify upstream lets anyone on the path read
 * what the client believed was protected.
 */
public final class UpstreamTls {

    private static final Logger log = LoggerFactory.getLogger(UpstreamTls.class);

    private static final String HTTPS_IDENTIFICATION = "HTTPS";
    /** Cause chains are short; the bound only guards against a cycle. */
    private static final int MAX_CAUSE_DEPTH = 16;

    private final SslContext sslContext;
    /** The same trust, ALPN {@code h2} then {@code http/1.1}: for exchanges whose client speaks h2. */
    private final SslContext http2Context;
    private final int trustAnchors;

    private UpstreamTls(SslContext sslContext, SslContext http2Context, int trustAnchors) {
        this.sslContext = sslContext;
        this.http2Context = http2Context;
        this.trustAnchors = trustAnchors;
    }

    /**
     * @param extraRoots PEM files, each with one or more certificates to trust as well
     */
    public static UpstreamTls create(List<Path> extraRoots, TlsProvider provider) throws TlsSetupException {
        Objects.requireNonNull(provider);
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int count = 0;
            for (X509Certificate root : jdkDefaultRoots()) {
                anchors.setCertificateEntry("jdk-" + count++, root);
            }
            for (Path file : extraRoots) {
                for (X509Certificate root : readRoots(file)) {
                    anchors.setCertificateEntry("extra-" + count++, root);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(anchors);
            log.debug("upstream trust: {} anchors ({} extra files)", count, extraRoots.size());
            return new UpstreamTls(TlsContexts.client(trust, provider, false),
                    TlsContexts.client(trust, provider, true), count);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException("cannot build the upstream trust store: " + e, e);
        }
    }

    /**
     * A client-side handler for a connection to {@code host}: SNI = host (unless an IP literal,
     * RFC 6066 §3), certificate chain and host name verified during the handshake.
     */
    public SslHandler newHandler(ByteBufAllocator allocator, String host, int port) {
        return newHandler(allocator, host, port, false);
    }

    /**
     * As {@link #newHandler(ByteBufAllocator, String, int)}; with {@code offerHttp2} ALPN offers
     * {@code h2} before {@code http/1.1}, and the origin's choice is read from the handler after
     * the handshake.
     */
    public SslHandler newHandler(ByteBufAllocator allocator, String host, int port, boolean offerHttp2) {
        SslHandler handler = (offerHttp2 ? http2Context : sslContext).newHandler(allocator, host, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        // Set on the context already; set again per engine so no provider default can drop it.
        parameters.setEndpointIdentificationAlgorithm(HTTPS_IDENTIFICATION);
        engine.setSSLParameters(parameters);
        return handler;
    }

    public SslContext sslContext() {
        return sslContext;
    }

    /** How many roots are trusted (JDK defaults plus extras): for the start-up log line. */
    public int trustAnchorCount() {
        return trustAnchors;
    }

    /**
     * Classifies the exception that failed an upstream handshake: a certificate problem anywhere
     * in its cause chain (the JDK nests the CertificateException inside SSLHandshakeException;
     * BoringSSL reports its own verification as CERTIFICATE_VERIFY_FAILED) is CERT_INVALID.
     */
    public static UpstreamFailure classify(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof CertificateException
                    || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException
                    || t instanceof SSLPeerUnverifiedException) {
                return UpstreamFailure.CERT_INVALID;
            }
            String message = t.getMessage();
            if (t instanceof SSLException && message != null && message.contains("CERTIFICATE_VERIFY_FAILED")) {
                return UpstreamFailure.CERT_INVALID;
            }
        }
        return UpstreamFailure.TLS_FAILED;
    }

    private static List<X509Certificate> jdkDefaultRoots() throws GeneralSecurityException {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        for (TrustManager manager : defaults.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return List.of(x509.getAcceptedIssuers());
            }
        }
        return List.of();
    }

    private static List<X509Certificate> readRoots(Path file) throws TlsSetupException {
        try {
            return PemFiles.readCertificates(file);
        } catch (CaException e) {
            throw new TlsSetupException("upstream.trustedCertificates: " + e.getMessage(), e);
        }
    }
}
