package io.sekisho.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaInitTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path out;
    private CaInit.Summary summary;

    @BeforeEach
    void createDefaultCa() throws Exception {
        out = dir.resolve("ca");
        summary = new CaInit(CLOCK, new SecureRandom()).create(out, KeyType.EC_P256, "proxy-host-1");
    }

    @Test
    void writesTheFourFilesNamedInTheSummary() {
        assertThat(summary.keyFile()).isEqualTo(out.resolve("ca.key")).isRegularFile();
        assertThat(summary.pemFile()).isEqualTo(out.resolve("ca.pem")).isRegularFile();
        assertThat(summary.derFile()).isEqualTo(out.resolve("ca.cer")).isRegularFile();
        assertThat(summary.pkcs12File()).isEqualTo(out.resolve("ca.p12")).isRegularFile();
        assertThat(summary.pkcs12Password()).isEqualTo("changeit");
    }

    @Test
    void theKeyFileIsOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(summary.keyFile())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(summary.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----\n");
    }

    @Test
    void keyAndPemLoadAsAUsableCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.fromPem(summary.pemFile(), summary.keyFile(), null, CLOCK);
        assertThat(ca.sha256Fingerprint()).isEqualTo(summary.sha256Fingerprint());
        assertThat(ca.subject()).isEqualTo(summary.subject());
    }

    @Test
    void derIsTheSameCertificateAsPem() throws Exception {
        X509Certificate der = parse(Files.readAllBytes(summary.derFile()));
        X509Certificate pem = parse(Files.readAllBytes(summary.pemFile()));
        assertThat(der).isEqualTo(pem);
        assertThat(HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(der.getEncoded())))
                .isEqualTo(summary.sha256Fingerprint());
    }

    @Test
    void pkcs12IsATrustStoreForJavaWithTheDocumentedPassword() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(summary.pkcs12File())) {
            store.load(in, "changeit".toCharArray());
        }
        List<String> aliases = Collections.list(store.aliases());
        assertThat(aliases).hasSize(1);
        assertThat(store.isCertificateEntry(aliases.get(0))).as("trusted certificate entry").isTrue();
        assertThat(store.getCertificate(aliases.get(0))).isEqualTo(parse(Files.readAllBytes(summary.derFile())));
    }

    @Test
    void certificateHasTheTrialCaProperties() throws Exception {
        X509Certificate ca = parse(Files.readAllBytes(summary.derFile()));
        assertThat(ca.getSubjectX500Principal().getName())
                .isEqualTo("CN=Sekisho Trial CA 2026-11-22 proxy-host-1,O=Sekisho (trial\\, not for production)");
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(ca.getBasicConstraints()).as("CA=true, pathLen 0").isZero();
        assertThat(ca.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        boolean[] usage = ca.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(List.of(usage[0], usage[1], usage[2], usage[3], usage[4])).containsOnly(false);
        assertThat(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
        assertThat(ca.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(ca.getSerialNumber().signum()).isPositive();
        assertThat(ca.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
        assertThat(ca.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
        ca.verify(ca.getPublicKey());
    }

    @Test
    void rsaOnRequestIs3072Bits() throws Exception {
        CaInit.Summary rsa = new CaInit(CLOCK, new SecureRandom())
                .create(dir.resolve("rsa"), KeyType.RSA_3072, "h");
        X509Certificate ca = parse(Files.readAllBytes(rsa.derFile()));
        assertThat(((RSAPublicKey) ca.getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(CertificateAuthority.fromPem(rsa.pemFile(), rsa.keyFile(), null, CLOCK).privateKey().getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void refusesToOverwriteAndWritesNothing() throws Exception {
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("ca.pem"), "keep me");
        assertThatThrownBy(() -> new CaInit(CLOCK, new SecureRandom())
                .create(other, KeyType.EC_P256, "h"))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(other.resolve("ca.pem").toString());
        assertThat(Files.readString(other.resolve("ca.pem"))).isEqualTo("keep me");
        assertThat(other.resolve("ca.key")).doesNotExist();
    }

    @Test
    void runningTwiceInTheSameDirectoryIsRefused() {
        assertThatThrownBy(() -> new CaInit(CLOCK, new SecureRandom())
                .create(out, KeyType.EC_P256, "again"))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void theSummaryNamesFilesAndFingerprintButNoKey() throws Exception {
        String text = summary.describe();
        assertThat(text).contains(summary.sha256Fingerprint()).contains(summary.keyFile().toString())
                .contains("changeit").doesNotContain("PRIVATE KEY");
        String keyBody = Files.readString(summary.keyFile()).lines().filter(l -> !l.startsWith("-----"))
                .findFirst().orElseThrow();
        assertThat(text).doesNotContain(keyBody);
    }

    @Test
    void longLabelsAreCutToTheCommonNameLimit() {
        String name = new CaInit(CLOCK, new SecureRandom()).commonName("x".repeat(100));
        assertThat(name).hasSize(64).startsWith("Sekisho Trial CA 2026-11-22 xxx");
    }

    /** Real clients: keytool and openssl read the trust-only PKCS#12 with the documented password. */
    @Test
    void keytoolListsThePkcs12() throws Exception {
        String output = run("keytool", "-list", "-keystore", summary.pkcs12File().toString(),
                "-storetype", "PKCS12", "-storepass", "changeit");
        assertThat(output).contains("trustedCertEntry");
    }

    @Test
    void opensslReadsThePkcs12AndTheDer() throws Exception {
        String p12 = run("openssl", "pkcs12", "-in", summary.pkcs12File().toString(), "-nokeys",
                "-passin", "pass:changeit");
        assertThat(p12).contains("-----BEGIN CERTIFICATE-----");
        String der = run("openssl", "x509", "-inform", "DER", "-in", summary.derFile().toString(),
                "-noout", "-fingerprint", "-sha256");
        assertThat(der).contains(summary.sha256Fingerprint());
    }

    private static String run(String... command) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", command[0])), command[0] + " not installed");
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static X509Certificate parse(byte[] bytes) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(bytes));
    }
}
