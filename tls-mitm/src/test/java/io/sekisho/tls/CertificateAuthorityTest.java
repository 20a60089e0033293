package io.sekisho.tls;

import static io.sekisho.tls.TestPki.NOW;
import static io.sekisho.tls.TestPki.pem;
import static io.sekisho.tls.TestPki.spec;
import static io.sekisho.tls.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.tls.CaException.Problem;
import io.sekisho.tls.TestPki.Issued;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final char[] PASSWORD = "correct horse".toCharArray();
    private static final String SUBJECT = "CN=Test Proxy CA";

    @TempDir
    Path dir;

    // --- formats that load ------------------------------------------------------------

    @Test
    void loadsPkcs8EcKey() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        CertificateAuthority loaded = CertificateAuthority.fromPem(
                certFile(ca), write(dir.resolve("k.pem"), pkcs8(ca.privateKey())), null, CLOCK);
        assertThat(loaded.certificate()).isEqualTo(ca.certificate());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(ca.privateKey().getEncoded());
        assertThat(loaded.subject()).isEqualTo(SUBJECT);
    }

    @Test
    void loadsPkcs1RsaKey() throws Exception {
        Issued ca = spec(SUBJECT).ca().key(TestPki.rsaKey(2048)).issue();
        String text = pem(ca.privateKey());
        assertThat(text).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        CertificateAuthority loaded = CertificateAuthority.fromPem(
                certFile(ca), write(dir.resolve("k.pem"), text), null, CLOCK);
        assertThat(loaded.privateKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void loadsSec1EcKeyAfterAnEcParametersBlock() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        // What `openssl ecparam -genkey -name prime256v1` writes: parameters, then the SEC1 key.
        String text = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + sec1(ca.keyPair());
        CertificateAuthority loaded = CertificateAuthority.fromPem(
                certFile(ca), write(dir.resolve("k.pem"), text), null, CLOCK);
        assertThat(((java.security.interfaces.ECPrivateKey) loaded.privateKey()).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) ca.privateKey()).getS());
    }

    @Test
    void loadsEncryptedPkcs8KeyWithItsPassword() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        String text = encryptedPkcs8(ca.privateKey(), PASSWORD);
        assertThat(text).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        CertificateAuthority loaded = CertificateAuthority.fromPem(
                certFile(ca), write(dir.resolve("k.pem"), text), PASSWORD, CLOCK);
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(ca.privateKey().getEncoded());
    }

    @Test
    void loadsLegacyOpenSslEncryptedKey() throws Exception {
        Issued ca = spec(SUBJECT).ca().key(TestPki.rsaKey(2048)).issue();
        String text = pem(new JcaMiscPEMGenerator(ca.privateKey(),
                new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(new BouncyCastleProvider()).build(PASSWORD)));
        assertThat(text).contains("Proc-Type: 4,ENCRYPTED");
        CertificateAuthority loaded = CertificateAuthority.fromPem(
                certFile(ca), write(dir.resolve("k.pem"), text), PASSWORD, CLOCK);
        assertThat(loaded.privateKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void loadsPkcs12() throws Exception {
        Issued root = TestPki.root("Root");
        Issued ca = TestPki.intermediate(root, "Proxy");
        Path p12 = pkcs12(ca.privateKey(), PASSWORD, ca, root);
        CertificateAuthority loaded = CertificateAuthority.fromPkcs12(p12, PASSWORD, CLOCK);
        assertThat(loaded.certificate()).isEqualTo(ca.certificate());
        assertThat(loaded.certificates()).containsExactly(ca.certificate(), root.certificate());
    }

    @Test
    void keepsTheChainThatFollowsTheCaCertificate() throws Exception {
        Issued root = TestPki.root("Root");
        Issued ca = TestPki.intermediate(root, "Proxy");
        Path certs = write(dir.resolve("chain.pem"), pem(ca.certificate(), root.certificate()));
        CertificateAuthority loaded = CertificateAuthority.fromPem(
                certs, write(dir.resolve("k.pem"), pkcs8(ca.privateKey())), null, CLOCK);
        assertThat(loaded.certificates()).containsExactly(ca.certificate(), root.certificate());
    }

    @Test
    void oneCombinedFileServesAsCertificateAndKey() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path both = write(dir.resolve("both.pem"), pem(ca.certificate()) + pkcs8(ca.privateKey()));
        assertThat(CertificateAuthority.fromPem(both, both, null, CLOCK).certificate()).isEqualTo(ca.certificate());
    }

    /** The real tool: a CA made by the openssl CLI with its default key format, encrypted PKCS#8. */
    @Test
    void loadsACaMadeByTheOpensslCliWithAnEncryptedPkcs8Key() throws Exception {
        Path key = dir.resolve("openssl.key");
        Path cert = dir.resolve("openssl.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-keyout", key.toString(), "-passout", "pass:" + new String(PASSWORD), "-out", cert.toString(),
                "-subj", "/CN=OpenSSL Made CA", "-days", "30",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        CertificateAuthority loaded = CertificateAuthority.fromPem(cert, key, PASSWORD, Clock.systemUTC());
        assertThat(loaded.subject()).isEqualTo("CN=OpenSSL Made CA");
    }

    @Test
    void loadsACaMadeByTheOpensslCliWithASec1Key() throws Exception {
        Path key = dir.resolve("sec1.key");
        Path cert = dir.resolve("sec1.pem");
        openssl("ecparam", "-genkey", "-name", "prime256v1", "-out", key.toString());
        assertThat(Files.readString(key)).startsWith("-----BEGIN EC PARAMETERS-----").contains("BEGIN EC PRIVATE KEY");
        opensslCa(key, cert);
        assertThat(CertificateAuthority.fromPem(cert, key, null, Clock.systemUTC()).privateKey().getAlgorithm())
                .isEqualTo("EC");
    }

    @Test
    void loadsACaMadeByTheOpensslCliWithAPkcs1RsaKey() throws Exception {
        Path key = dir.resolve("pkcs1.key");
        Path cert = dir.resolve("pkcs1.pem");
        openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        opensslCa(key, cert);
        assertThat(CertificateAuthority.fromPem(cert, key, null, Clock.systemUTC()).privateKey().getAlgorithm())
                .isEqualTo("RSA");
    }

    // --- every bad CA, each with its message -----------------------------------------------

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
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.KEY_MISMATCH))
                .hasMessage("the private key does not match CA certificate 'CN=Test Proxy CA'");
    }

    @Test
    void refusesAKeyOfAnotherTypeThanTheCertificate() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path key = write(dir.resolve("rsa.pem"), pkcs8(TestPki.rsaKey(2048).getPrivate()));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.KEY_MISMATCH))
                .hasMessage("the private key does not match CA certificate 'CN=Test Proxy CA'");
    }

    @Test
    void refusesAWrongPasswordForAnEncryptedKey() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path key = write(dir.resolve("enc.pem"), encryptedPkcs8(ca.privateKey(), PASSWORD));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(ca), key, "wrong".toCharArray(), CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_PASSWORD))
                .hasMessage("wrong password for " + key);
    }

    @Test
    void refusesAnEncryptedKeyWithoutPassword() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path key = write(dir.resolve("enc.pem"), encryptedPkcs8(ca.privateKey(), PASSWORD));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.PASSWORD_REQUIRED))
                .hasMessage("the private key in " + key + " is encrypted but no password was given");
    }

    @Test
    void refusesAWrongPkcs12Password() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        Path p12 = pkcs12(ca.privateKey(), PASSWORD, ca);
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
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(ca), key, null, CLOCK))
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
        Path key = certFile(ca);
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(ca), key, null, CLOCK))
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
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_KEY))
                .hasMessage("unsupported private key algorithm 1.3.101.112 in " + key + "; use RSA or EC");
    }

    // --- expiry warning ---------------------------------------------------------------------

    @Test
    void expiresWithinComparesNotAfterWithTheInjectedClock() throws Exception {
        Issued ca = spec(SUBJECT).ca().validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(20))).issue();
        CertificateAuthority loaded = CertificateAuthority.of(List.of(ca.certificate()), ca.privateKey(), CLOCK);
        assertThat(loaded.expiresWithin(Duration.ofDays(30))).isTrue();
        assertThat(loaded.expiresWithin(Duration.ofDays(10))).isFalse();
    }

    @Test
    void toStringNamesTheCaButNotItsKey() throws Exception {
        Issued ca = spec(SUBJECT).ca().issue();
        CertificateAuthority loaded = CertificateAuthority.of(List.of(ca.certificate()), ca.privateKey(), CLOCK);
        assertThat(loaded.toString()).contains(SUBJECT).contains(loaded.sha256Fingerprint())
                .doesNotContainIgnoringCase("private");
    }

    // --- helpers ------------------------------------------------------------------------------

    private static void opensslCa(Path key, Path cert) throws Exception {
        openssl("req", "-x509", "-key", key.toString(), "-out", cert.toString(), "-subj", "/CN=OpenSSL Made CA",
                "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private static void openssl(String... args) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl CLI not installed");
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** SEC1 with its curve and public key inside, as OpenSSL writes it (RFC 5915 §3). */
    static String sec1(KeyPair keys) throws IOException {
        java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) keys.getPrivate();
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        byte[] point = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData().getBytes();
        ECPrivateKey sec1 = new ECPrivateKey(256, key.getS(), new DERBitString(point),
                info.getPrivateKeyAlgorithm().getParameters());
        return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    private void assertRefused(Issued ca, Problem problem, String message) {
        Path key = write(dir.resolve("key-" + problem + ".pem"), pkcs8(ca.privateKey()));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(certFile(ca), key, null, CLOCK))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.problem()).isEqualTo(problem))
                .hasMessage(message);
    }

    private Path certFile(Issued ca) {
        return write(dir.resolve("cert-" + ca.certificate().getSerialNumber() + ".pem"), pem(ca.certificate()));
    }

    static String pkcs8(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String encryptedPkcs8(PrivateKey key, char[] password) throws Exception {
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider()).setPassword(password).build();
        return pem(new JcaPKCS8Generator(key, encryptor));
    }

    private Path pkcs12(PrivateKey key, char[] password, Issued... chain) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Certificate[] certificates = new Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            certificates[i] = chain[i].certificate();
        }
        store.setKeyEntry("ca", key, password, certificates);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return writeBytes(dir.resolve("ca-" + System.nanoTime() + ".p12"), out.toByteArray());
    }

    private static Path writeBytes(Path file, byte[] bytes) throws IOException {
        return Files.write(file, bytes);
    }
}
