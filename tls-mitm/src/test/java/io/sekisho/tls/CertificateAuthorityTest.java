package io.sekisho.tls;

import static io.sekisho.tls.KeyFiles.encryptedPkcs8;
import static io.sekisho.tls.KeyFiles.pkcs8;
import static io.sekisho.tls.KeyFiles.sec1;
import static io.sekisho.tls.TestPki.NOW;
import static io.sekisho.tls.TestPki.pem;
import static io.sekisho.tls.TestPki.spec;
import static io.sekisho.tls.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.tls.TestPki.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
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
        assertThat(((ECPrivateKey) loaded.privateKey()).getS())
                .isEqualTo(((ECPrivateKey) ca.privateKey()).getS());
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
        Path p12 = KeyFiles.pkcs12(dir, ca.privateKey(), PASSWORD, ca, root);
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

    private Path certFile(Issued ca) {
        return KeyFiles.certFile(dir, ca);
    }
}
