package io.sekisho.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.TestPki;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import picocli.CommandLine;

/**
 * {@code sekisho run} with a CA it cannot use, through the real loader and CLI: it refuses to
 * start, exits non-zero, and says in one line on stderr which file and which problem.
 * And {@code sekisho ca init}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CaStartupTest {
    @TempDir
    Path tmp;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine(Wiring.DEFAULT);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private int runWithCa(String caYaml) throws IOException {
        Path config = Files.writeString(tmp.resolve("sekisho.yaml"), "version: 1\nlisten: \"127.0.0.1:0\"\n"
                + "audit:\n  file: \"-\"\ndomains:\n  allow:\n    - .amazonaws.com\ntls:\n  ca:\n" + caYaml);
        int code = run("run", "--config", config.toString());
        checkSaysTheSame(config, code);
        return code;
    }

    /**
     * {@code check} loads the CA as {@code run} does (issue 12 point 6): where run refused to
     * start, check fails with the same message after the file's name.
     */
    private void checkSaysTheSame(Path config, int runCode) {
        if (runCode == 0) {
            return;
        }
        StringWriter checkOut = new StringWriter();
        CommandLine cl = Main.commandLine(Wiring.DEFAULT);
        cl.setOut(new PrintWriter(checkOut, true));
        cl.setErr(new PrintWriter(checkOut, true));
        assertThat(cl.execute("check", "--config", config.toString())).as(checkOut.toString()).isEqualTo(1);
        String[] errLines = err.toString().split("\n");
        String message = errLines[errLines.length - 1].replace("sekisho: cannot start: ", "");
        assertThat(checkOut.toString()).contains(config + ": " + message + "\n")
                .containsPattern("\nconfig invalid: 1 error, \\d+ warnings?\n$");
    }

    /**
     * The refusal: the last line on stderr (configuration warnings, such as "aws.accounts.allow is
     * empty", come before it) and the only one from the CA check.
     */
    private String refusal() {
        String[] lines = err.toString().split("\n");
        assertThat(err.toString().split("sekisho: cannot start", -1)).as("one refusal line").hasSize(2);
        return lines[lines.length - 1];
    }

    private static String pemPair(Path cert, Path key) {
        return "    certificate: \"" + cert + "\"\n    privateKey: \"" + key + "\"\n";
    }

    private CaInit.Summary trialCa(String dir, Clock clock) throws Exception {
        return new CaInit(clock, new SecureRandom()).create(tmp.resolve(dir), KeyType.EC_P256, dir);
    }

    @Test
    void aLeafCertificateIsNotACa() throws Exception {
        TestPki.Leaf leaf = TestPki.create(tmp.resolve("pki")).leaf("proxy.example.com");
        Path cert = pem(tmp.resolve("leaf.pem"), "CERTIFICATE", leaf.certificate().getEncoded());
        Path key = pem(tmp.resolve("leaf.key"), "PRIVATE KEY", leaf.key().getEncoded());

        assertThat(runWithCa(pemPair(cert, key))).isEqualTo(1);
        assertThat(refusal()).isEqualTo("sekisho: cannot start: CA certificate 'CN=proxy.example.com' is not a CA:"
                + " basicConstraints CA=true is missing");
    }

    @Test
    void anExpiredCaIsRefused() throws Exception {
        Clock elevenYearsAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(11 * 366)), ZoneOffset.UTC);
        CaInit.Summary old = trialCa("old", elevenYearsAgo);

        assertThat(runWithCa(pemPair(old.pemFile(), old.keyFile()))).isEqualTo(1);
        assertThat(refusal()).startsWith("sekisho: cannot start: CA certificate 'CN=Sekisho Trial CA ")
                .contains(" expired on ");
    }

    @Test
    void aKeyOfAnotherCaIsRefused() throws Exception {
        CaInit.Summary a = trialCa("a", Clock.systemUTC());
        CaInit.Summary b = trialCa("b", Clock.systemUTC());

        assertThat(runWithCa(pemPair(a.pemFile(), b.keyFile()))).isEqualTo(1);
        assertThat(refusal()).startsWith("sekisho: cannot start: the private key does not match CA certificate"
                + " 'CN=Sekisho Trial CA ");
    }

    @Test
    void aWrongPkcs12PasswordIsRefused() throws Exception {
        CaInit.Summary a = trialCa("a", Clock.systemUTC());
        Path p12 = tmp.resolve("ca-with-key.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("ca", readKey(a.keyFile()), "right-password".toCharArray(), new Certificate[] {
                CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(a.pemFile()))});
        try (OutputStream o = Files.newOutputStream(p12)) {
            ks.store(o, "right-password".toCharArray());
        }
        Path password = Files.writeString(tmp.resolve("password.txt"), "wrong-password\n");

        assertThat(runWithCa("    pkcs12: \"" + p12 + "\"\n    password: {file: \"" + password + "\"}\n"))
                .isEqualTo(1);
        assertThat(refusal()).isEqualTo("sekisho: cannot start: wrong password for " + p12);
    }

    @Test
    void aPasswordVariableThatIsNotSetIsNamed() throws Exception {
        CaInit.Summary a = trialCa("a", Clock.systemUTC());

        assertThat(runWithCa(pemPair(a.pemFile(), a.keyFile())
                + "    password: {env: SEKISHO_TEST_VARIABLE_NOBODY_SETS}\n")).isEqualTo(1);
        assertThat(refusal()).isEqualTo("sekisho: cannot start: tls.ca.password: environment variable "
                + "SEKISHO_TEST_VARIABLE_NOBODY_SETS is not set");
    }

    @Test
    void anEncryptedKeyWithoutAPasswordIsRefused() throws Exception {
        CaInit.Summary a = trialCa("a", Clock.systemUTC());
        Files.writeString(a.keyFile(), encrypted(a.keyFile(), "right-password"));

        assertThat(runWithCa(pemPair(a.pemFile(), a.keyFile()))).isEqualTo(1);
        assertThat(refusal()).isEqualTo("sekisho: cannot start: the private key in " + a.keyFile()
                + " is encrypted but no password was given");
    }

    @Test
    void anEncryptedKeyWithAWrongPasswordIsRefused() throws Exception {
        CaInit.Summary a = trialCa("a", Clock.systemUTC());
        Files.writeString(a.keyFile(), encrypted(a.keyFile(), "right-password"));
        Path password = Files.writeString(tmp.resolve("password.txt"), "wrong-password\n");

        assertThat(runWithCa(pemPair(a.pemFile(), a.keyFile()) + "    password: {file: \"" + password + "\"}\n"))
                .isEqualTo(1);
        assertThat(refusal()).isEqualTo("sekisho: cannot start: wrong password for " + a.keyFile());
    }

    @Test
    void anEncryptedKeyWithItsPasswordPassesCheck() throws Exception {
        CaInit.Summary a = trialCa("a", Clock.systemUTC());
        Files.writeString(a.keyFile(), encrypted(a.keyFile(), "right-password"));
        Path password = Files.writeString(tmp.resolve("password.txt"), "right-password\n");
        Path config = Files.writeString(tmp.resolve("sekisho.yaml"), "version: 1\nlisten: \"127.0.0.1:0\"\n"
                + "audit:\n  file: \"-\"\ndomains:\n  allow:\n    - .amazonaws.com\ntls:\n  ca:\n"
                + pemPair(a.pemFile(), a.keyFile()) + "    password: {file: \"" + password + "\"}\n");

        assertThat(run("check", "--config", config.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).containsPattern("(^|\n)config OK: 1 allow rule, 0 deny rules, \\d+ warnings?\n$");
    }

    /** Cut files: a copy interrupted, a Secret mounted half-written. */
    enum Truncated { KEY, CERTIFICATE }

    @ParameterizedTest
    @EnumSource(Truncated.class)
    void aTruncatedFileIsRefusedAndNamed(Truncated which) throws Exception {
        CaInit.Summary a = trialCa("a", Clock.systemUTC());
        Path cut = which == Truncated.KEY ? a.keyFile() : a.pemFile();
        String pem = Files.readString(cut);
        Files.writeString(cut, pem.substring(0, pem.length() / 2));

        assertThat(runWithCa(pemPair(a.pemFile(), a.keyFile()))).isEqualTo(1);
        assertThat(refusal()).startsWith("sekisho: cannot start: ").contains(cut.toString());
    }

    @Test
    void caInitWritesTheFourFilesWithAPrivateKeyAndRefusesToOverwrite() throws Exception {
        Path dir = tmp.resolve("trial");

        assertThat(run("ca", "init", "--out", dir.toString())).isZero();
        assertThat(out.toString()).contains("Created trial CA", "SHA-256 fingerprint", "ca.key", "ca.pem");
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(dir.resolve("ca.cer")).exists();
        assertThat(dir.resolve("ca.p12")).exists();
        assertThat(out.toString()).doesNotContain("PRIVATE KEY");

        byte[] keyBefore = Files.readAllBytes(dir.resolve("ca.key"));
        assertThat(run("ca", "init", "--out", dir.toString(), "--rsa")).isEqualTo(1);
        assertThat(err.toString()).contains("exists; refusing to overwrite a CA");
        assertThat(Files.readAllBytes(dir.resolve("ca.key"))).isEqualTo(keyBefore);
    }

    @Test
    void caInitCanGiveTheKeyToTheContainerUserAndKeepsIt0600() throws Exception {
        Path dir = tmp.resolve("for-container");
        // Giving a file away needs root (CI runs as root); another user can only name itself.
        boolean root = ((Integer) Files.getAttribute(tmp, "unix:uid")) == 0;
        int uid = root ? 10001 : (Integer) Files.getAttribute(tmp, "unix:uid");

        assertThat(run("ca", "init", "--out", dir.toString(), "--key-owner", uid + ":" + uid)).isZero();

        assertThat(Files.getAttribute(dir.resolve("ca.key"), "unix:uid")).isEqualTo(uid);
        assertThat(Files.getAttribute(dir.resolve("ca.key"), "unix:gid")).isEqualTo(uid);
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(run("ca", "init", "--out", tmp.resolve("bad-owner").toString(), "--key-owner", "sekisho"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("--key-owner expects UID or UID:GID");
    }

    @Test
    void caInitRsaMakesAnRsaCa() throws Exception {
        Path dir = tmp.resolve("rsa");

        assertThat(run("ca", "init", "--out", dir.toString(), "--rsa")).isZero();
        assertThat(out.toString()).contains("rsa-3072");
    }

    private static Path pem(Path file, String type, byte[] der) throws IOException {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n");
    }

    /** The PKCS#8 key in {@code pem}, encrypted with AES-256 under {@code password}, as PEM. */
    private static String encrypted(Path pem, String password) throws Exception {
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider()).setPassword(password.toCharArray()).build();
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(readKey(pem), encryptor));
        }
        return text.toString();
    }

    private static PrivateKey readKey(Path pem) throws Exception {
        String b64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }
}
