package io.sekisho.proxy.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster.caCertificates}: the bundle's certificates are the only roots, and a bad bundle stops the start. */
class ClusterStoresTest {
    @TempDir
    Path tmp;

    @Test
    void theBundlesCertificatesAreTheOnlyRoots() throws Exception {
        CaInit.Summary ca = new CaInit(Clock.systemUTC(), new SecureRandom())
                .create(tmp.resolve("ca"), KeyType.EC_P256, "store ca");

        X509TrustManager tm = (X509TrustManager) ClusterStores.trust(ca.pemFile()).getTrustManagers()[0];

        assertThat(tm.getAcceptedIssuers()).hasSize(1);
        assertThat(tm.getAcceptedIssuers()[0].getSubjectX500Principal().getName()).contains("store ca");
    }

    @Test
    void aFileWithoutACertificateIsRefusedByName() throws Exception {
        Path notPem = Files.writeString(tmp.resolve("store-ca.pem"), "not a certificate\n");

        assertThatThrownBy(() -> ClusterStores.trust(notPem)).isInstanceOf(ClusterStores.SetupException.class)
                .hasMessageStartingWith("cluster.caCertificates: " + notPem + ": ");
    }

    @Test
    void anUnreadableFileIsRefusedByName() {
        Path missing = tmp.resolve("gone.pem");

        assertThatThrownBy(() -> ClusterStores.trust(missing)).isInstanceOf(ClusterStores.SetupException.class)
                .hasMessage("cluster.caCertificates: " + missing + ": cannot read it (NoSuchFileException)");
    }
}
