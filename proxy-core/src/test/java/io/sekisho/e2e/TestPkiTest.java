package io.sekisho.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

    @TempDir
    static Path tmp;
    static TestPki pki;

    @BeforeAll
    static void create() {
        pki = TestPki.create(tmp);
    }

    @Test
    void caPemParsesAndIsACertificateAuthority() throws Exception {
        X509Certificate ca = read(pki.caPem());

        assertThat(ca).isEqualTo(pki.caCertificate());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    }

    @Test
    void leafIsTrustedThroughTheCaAndCarriesItsNames() throws Exception {
        TestPki.Leaf leaf = pki.leaf("sts.us-east-1.amazonaws.com", "127.0.0.1");

        trustManager().checkServerTrusted(leaf.chain().toArray(X509Certificate[]::new), "ECDHE_ECDSA");
        assertThat(sanValues(leaf.certificate())).containsExactly("sts.us-east-1.amazonaws.com", "127.0.0.1");
        assertThat(leaf.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(read(leaf.certificatePem())).isEqualTo(leaf.certificate());
        assertThat(Files.readString(leaf.keyPem())).startsWith("-----BEGIN EC PRIVATE KEY-----");
    }

    @Test
    void awsWildcardLeafCoversTheServiceSignInPortalAndConsoleShapes() throws Exception {
        List<Object> names = sanValues(pki.awsWildcardLeaf().certificate());

        assertThat(names).contains("*.amazonaws.com", "*.s3.us-east-1.amazonaws.com", "*.awsapps.com",
                "*.signin.aws.amazon.com", "*.console.aws.amazon.com", "*.app.aws", "*.sso.eu-west-1.amazonaws.com",
                "127.0.0.1");
    }

    @Test
    void expiredLeafIsExpiredNow() {
        X509Certificate expired = pki.expiredLeaf("s3.amazonaws.com").certificate();

        assertThatThrownBy(() -> expired.checkValidity(new Date())).isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void selfSignedLeafIsNotTrustedThroughTheCa() {
        TestPki.Leaf leaf = pki.selfSignedLeaf("s3.amazonaws.com");

        assertThatThrownBy(() -> trustManager().checkServerTrusted(leaf.chain().toArray(X509Certificate[]::new), "ECDHE_ECDSA"))
                .isInstanceOf(java.security.cert.CertificateException.class);
    }

    @Test
    void wrongHostLeafNamesNoAwsHost() throws Exception {
        assertThat(sanValues(pki.wrongHostLeaf().certificate())).containsExactly("wrong-host.sekisho.invalid");
    }

    @Test
    void spkiPinIsTheBase64OfA32ByteDigest() {
        assertThat(java.util.Base64.getDecoder().decode(pki.caSpkiSha256())).hasSize(32);
    }

    private static List<Object> sanValues(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)).toList();
    }

    private static X509TrustManager trustManager() {
        return (X509TrustManager) pki.trustManagers()[0];
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
