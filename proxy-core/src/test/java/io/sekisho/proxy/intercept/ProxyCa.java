package io.sekisho.proxy.intercept;

import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA the proxy intercepts with, made by the same code as {@code sekisho ca init}; clients in
 * tests trust it (curl {@code --cacert}, an SSLContext for the JDK client and the SDK).
 */
public record ProxyCa(Path pem, Path key, X509Certificate certificate) {

    public static ProxyCa create(Path dir) {
        try {
            CaInit.Summary s = new CaInit(Clock.systemUTC(), new SecureRandom()).create(dir, KeyType.EC_P256, "test");
            X509Certificate cert;
            try (InputStream in = Files.newInputStream(s.pemFile())) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            return new ProxyCa(s.pemFile(), s.keyFile(), cert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client SSLContext that trusts only this CA. */
    public SSLContext clientContext() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("proxy-ca", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
