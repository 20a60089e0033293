package io.sekisho.tls;

import static io.sekisho.tls.KeyFiles.certFile;
import static io.sekisho.tls.KeyFiles.encryptedPkcs8;
import static io.sekisho.tls.KeyFiles.pkcs8;
import static io.sekisho.tls.TestPki.NOW;
import static io.sekisho.tls.TestPki.spec;
import static io.sekisho.tls.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.tls.CaException.Problem;
import io.sekisho.tls.TestPki.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every CA the proxy must refuse to start with, each with its exact message. */
class CaRefusalTest {

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final char[] PASSWORD = "correct horse".toCharArray();
    private static final String SUBJECT = "CN=Test Proxy CA";

    @TempDir
    Path dir;

    @Test
    void refusesACertificateThatIsNotACa() throws Exception {
        Issued notCa = spec(SUBJECT).basicConstraintsCa(false).keyUsage(KeyUsage.keyCertSign).issue();
        assertRefused(notCa, Problem.NOT_A_CA,
                "CA certificate 'CN=Test Proxy CA' is not a CA: basicConstraints CA=true is missing");
    }

    @Test
    void refusesACaWithoutKeyCertSign() throws Exception {
        Issued ca = spec(SUBJECT).ca().keyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign).issue();
        assertRefused(ca, Problem.NO_KEY_CERT_SIGN,
                "CA certificate 'CN=Test Proxy CA' may not sign certificates: keyUsage keyCertSign is missing");
    }

    @Test
    void refusesACaWithoutAnyKeyUsage() throws Exception {
        Issued ca = spec(SUBJECT).ca().keyUsage(null).issue();
        assertRefused(ca, Problem.NO_KEY_CERT_SIGN,
                "CA certificate 'CN=Test Proxy CA' may not sign certificates: keyUsage keyCertSign is missing");
    }

    @Test
    void refusesAnExpiredCa() throws Exception {
        Issued ca = spec(SUBJECT).ca().validity(NOW.minus(Duration.ofDays(60)), NOW.minusSeconds(1)).issue();
        assertRefused(ca, Problem.EXPIRED,
                "CA certificate 'CN=Test Proxy CA' expired on " + NOW.minusSeconds(1));
    }

    @Test
    void refusesACaThatIsNotYetValid() throws Exception {
        Issued ca = spec(SUBJECT).ca().validity(NOW.plusSeconds(60), NOW.plus(Duration.ofDays(60))).issue();
        assertRefused(ca, Problem.NOT_YET_VALID,
                "CA certificate 'CN=Test Proxy CA' is not valid until " + NOW.plusSeconds(60));
    }

    @Test
    void refusesAKeyThatBelongsToAnotherCertificate() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path key = write(dir.resolve("other.pem"), pkcs8(TestPki.ecKey().getPrivate()));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(dir, ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.KEY_MISMATCH))
                .hasMessage("the private key does not match CA certificate 'CN=Test Proxy CA'");
    }

    @Test
    void refusesAKeyOfAnotherTypeThanTheCertificate() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path key = write(dir.resolve("rsa.pem"), pkcs8(TestPki.rsaKey(2048).getPrivate()));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(dir, ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.KEY_MISMATCH))
                .hasMessage("the private key does not match CA certificate 'CN=Test Proxy CA'");
    }

    @Test
    void refusesAWrongPasswordForAnEncryptedKey() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path key = write(dir.resolve("enc.pem"), encryptedPkcs8(ca.privateKey(), PASSWORD));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(dir, ca), key, "wrong".toCharArray(), CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_PASSWORD))
                .hasMessage("wrong password for " + key);
    }

    @Test
    void refusesAnEncryptedKeyWithoutPassword() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path key = write(dir.resolve("enc.pem"), encryptedPkcs8(ca.privateKey(), PASSWORD));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(dir, ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.PASSWORD_REQUIRED))
                .hasMessage("the private key in " + key + " is encrypted but no password was given");
    }

    @Test
    void refusesAWrongPkcs12Password() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path p12 = KeyFiles.pkcs12(dir, ca.privateKey(), PASSWORD, ca);
        assertThatThrownBy(() -> CertificateAuthority.fromPkcs12(p12, "wrong".toCharArray(), CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_PASSWORD))
                .hasMessage("wrong password for " + p12);
    }

    @Test
    void refusesGarbageInsideACertificateBlock() throws Exception {
        Path cert = write(dir.resolve("garbage.pem"),
                "-----BEGIN CERTIFICATE-----\nnot*base64*at*all\n-----END CERTIFICATE-----\n");
        Path key = write(dir.resolve("k.pem"), pkcs8(TestPki.ecKey().getPrivate()));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(cert, key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNREADABLE))
                .hasMessageStartingWith("cannot read " + cert + ": not a valid PEM certificate (");
    }

    @Test
    void refusesGarbageInsideAKeyBlockWithoutEchoingIt() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path key = write(dir.resolve("garbage.key"),
                "-----BEGIN PRIVATE KEY-----\nAAAAsecretishAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(dir, ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNREADABLE))
                .hasMessageStartingWith("cannot read " + key + ": not a valid PEM private key (")
                .hasMessageNotContaining("secretish");
    }

    @Test
    void refusesAFileWithoutCertificate() throws Exception {
        Path cert = write(dir.resolve("empty.pem"), "just some text\n");
        Path key = write(dir.resolve("k.pem"), pkcs8(TestPki.ecKey().getPrivate()));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(cert, key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NO_CERTIFICATE))
                .hasMessage("no certificate found in " + cert + " (expected PEM: -----BEGIN CERTIFICATE-----)");
    }

    @Test
    void aDerCertificateGivenAsPemReadsAsNoCertificate() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path der = Files.write(dir.resolve("ca.cer"), ca.certificate().getEncoded());
        Path key = write(dir.resolve("k.pem"), pkcs8(ca.privateKey()));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(der, key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NO_CERTIFICATE))
                .hasMessage("no certificate found in " + der + " (expected PEM: -----BEGIN CERTIFICATE-----)");
    }

    @Test
    void refusesAKeyFileWithoutKey() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path key = certFile(dir, ca);
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(dir, ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NO_KEY))
                .hasMessage("no private key found in " + key + " (expected PEM: -----BEGIN PRIVATE KEY----- or similar)");
    }

    @Test
    void refusesAPkcs12WithoutKey() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path p12 = Files.write(dir.resolve("trust.p12"), TrustOnlyPkcs12.encode(ca.certificate(), "ca", PASSWORD));
        assertThatThrownBy(() -> CertificateAuthority.fromPkcs12(p12, PASSWORD, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NO_KEY))
                .hasMessage("no private key found in " + p12);
    }

    @Test
    void refusesAPkcs12ThatIsNotOne() throws Exception {
        Path p12 = write(dir.resolve("fake.p12"), "this is not DER");
        assertThatThrownBy(() -> CertificateAuthority.fromPkcs12(p12, PASSWORD, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNREADABLE))
                .hasMessage("cannot read " + p12 + ": not a valid PKCS#12 file");
    }

    @Test
    void refusesAMissingFile() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> CertificateAuthority.fromPem(missing, missing, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNREADABLE))
                .hasMessage("cannot read " + missing + ": no such file");
    }

    @Test
    void refusesAnUnsupportedKeyAlgorithm() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path key = write(dir.resolve("ed.pem"), pkcs8(ed.getPrivate()));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(dir, ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_KEY))
                .hasMessage("unsupported private key algorithm 1.3.101.112 in " + key + "; use RSA or EC");
    }

    private void assertRefused(Issued ca, Problem problem, String message) {
        Path key = write(dir.resolve("key-" + problem + ".pem"), pkcs8(ca.privateKey()));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(dir, ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(problem))
                .hasMessage(message);
    }
}
