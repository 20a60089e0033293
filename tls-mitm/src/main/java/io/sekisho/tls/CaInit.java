package io.sekisho.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates a trial CA for {@code sekisho ca init --out DIR [--rsa]}: a self-signed root whose
 * name says what it is, and the files an operator installs on clients. For production, use an
 * intermediate issued by the corporate CA instead (docs/ca.md).
 *
 * <p>Writes {@value #KEY_FILE} (PKCS#8 PEM, created with mode 0600 so it is never readable by
 * others, not even briefly), {@value #PEM_FILE}, {@value #DER_FILE} and {@value #PKCS12_FILE}
 * (the certificate only, password {@value #PKCS12_PASSWORD}). Refuses to overwrite any of them.
 */
public final class CaInit {

    public static final String KEY_FILE = "ca.key";
    public static final String PEM_FILE = "ca.pem";
    public static final String DER_FILE = "ca.cer";
    public static final String PKCS12_FILE = "ca.p12";
    /**
     * keytool's customary default. Windows, macOS and keytool all ask for a password when
     * importing PKCS#12 and some reject an empty one; this one protects nothing (no key inside).
     */
    public static final String PKCS12_PASSWORD = "changeit";

    static final Duration VALIDITY = Duration.ofDays(3650);
    static final Duration BACKDATE = Duration.ofHours(1);
    static final String COMMON_NAME_PREFIX = "Sekisho Trial CA ";
    static final String ORGANIZATION = "Sekisho (trial, not for production)";
    static final String FRIENDLY_NAME = "sekisho trial ca";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Clock clock;
    private final SecureRandom random;

    public CaInit(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    /** What {@code sekisho ca init} prints: where the files are and the fingerprint to compare. */
    public record Summary(
            Path keyFile,
            Path pemFile,
            Path derFile,
            Path pkcs12File,
            String pkcs12Password,
            String subject,
            String sha256Fingerprint,
            Instant notAfter,
            KeyType keyType) {

        /** Several lines for the terminal. No key material. */
        public String describe() {
            return "Created trial CA " + subject + "\n"
                    + "  key type:           " + keyType.configName() + "\n"
                    + "  valid until:        " + notAfter + "\n"
                    + "  SHA-256 fingerprint: " + sha256Fingerprint + "\n"
                    + "  private key (0600): " + keyFile + "   <- tls.ca.privateKey; keep it on the proxy only\n"
                    + "  certificate (PEM):  " + pemFile + "   <- tls.ca.certificate; install on clients\n"
                    + "  certificate (DER):  " + derFile + "   <- Windows / macOS import\n"
                    + "  trust-only PKCS#12: " + pkcs12File + "   <- password '" + pkcs12Password + "'\n";
        }
    }

    /**
     * Creates the trial CA in {@code directory} (created if missing).
     *
     * @param keyType {@link KeyType#EC_P256} (default) or {@link KeyType#RSA_3072}
     * @param label appended to the name, e.g. the host name, so that two trial CAs differ
     * @throws FileAlreadyExistsException when any of the four files exists already
     */
    public Summary create(Path directory, KeyType keyType, String label) throws IOException, GeneralSecurityException {
        if (keyType == KeyType.RSA_2048) {
            throw new IllegalArgumentException("a CA key lives ten years: use ec-p256 or rsa-3072 (NIST SP 800-57)");
        }
        Files.createDirectories(directory);
        if (!Files.getFileStore(directory).supportsFileAttributeView("posix")) {
            throw new IOException(directory + " has no POSIX permissions: the CA key could not be kept private there");
        }
        Path key = directory.resolve(KEY_FILE);
        Path pem = directory.resolve(PEM_FILE);
        Path der = directory.resolve(DER_FILE);
        Path p12 = directory.resolve(PKCS12_FILE);
        for (Path file : List.of(key, pem, der, p12)) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(file.toString(), null,
                        "refusing to overwrite an existing CA file");
            }
        }
        KeyPair keyPair = keyType.generate(random);
        X509Certificate certificate = selfSigned(keyPair, commonName(label));
        requireUsable(certificate, keyPair);

        byte[] pkcs8 = keyPair.getPrivate().getEncoded();
        byte[] keyPem = pem("PRIVATE KEY", pkcs8);
        try {
            writeNew(key, keyPem, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
            Arrays.fill(keyPem, (byte) 0);
        }
        writeNew(pem, pem("CERTIFICATE", certificate.getEncoded()));
        writeNew(der, certificate.getEncoded());
        writeNew(p12, TrustOnlyPkcs12.encode(certificate, FRIENDLY_NAME, PKCS12_PASSWORD.toCharArray()));
        return new Summary(key, pem, der, p12, PKCS12_PASSWORD, Certs.subject(certificate),
                Certs.sha256Fingerprint(certificate), certificate.getNotAfter().toInstant(), keyType);
    }

    /** {@code Sekisho Trial CA 2025-06-01 <label>}, cut to the 64 characters a CN may hold. */
    String commonName(String label) {
        String name = COMMON_NAME_PREFIX + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (label != null && !label.isBlank()) {
            name += " " + label.strip();
        }
        return name.length() <= LeafMinter.MAX_COMMON_NAME ? name : name.substring(0, LeafMinter.MAX_COMMON_NAME);
    }

    /** RFC 5280 §4.2.1.9/§4.2.1.3: CA=true with pathLen 0 (it signs leaves only), keyCertSign + cRLSign. */
    private X509Certificate selfSigned(KeyPair keyPair, String commonName) throws GeneralSecurityException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANIZATION)
                .addRDN(BCStyle.CN, commonName)
                .build();
        Instant now = clock.instant();
        BigInteger serial = new BigInteger(LeafMinter.SERIAL_BITS, random).setBit(0);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name, keyPair.getPublic());
        byte[] keyId = Certs.keyIdentifier(keyPair.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId));
            builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId));
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(Certs.signatureAlgorithm(keyPair.getPrivate()))
                            .setSecureRandom(random)
                            .build(keyPair.getPrivate())));
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build the trial CA certificate", e);
        }
    }

    /** The same checks the proxy makes at start-up, so that a created CA always loads. */
    private void requireUsable(X509Certificate certificate, KeyPair keyPair) {
        try {
            CertificateAuthority.of(List.of(certificate), keyPair.getPrivate(), clock);
        } catch (CaException e) {
            throw new IllegalStateException("the new trial CA fails its own checks: " + e.getMessage(), e);
        }
    }

    /** RFC 7468 textual encoding: base64 in 64-character lines between BEGIN/END labels. */
    static byte[] pem(String type, byte[] der) {
        byte[] body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encode(der);
        byte[] begin = ("-----BEGIN " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
        byte[] end = ("\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[begin.length + body.length + end.length];
        System.arraycopy(begin, 0, out, 0, begin.length);
        System.arraycopy(body, 0, out, begin.length, body.length);
        System.arraycopy(end, 0, out, begin.length + body.length, end.length);
        Arrays.fill(body, (byte) 0);
        return out;
    }

    /**
     * {@code createFile} is O_CREAT|O_EXCL with the permissions given at creation (umask can only
     * narrow them): it fails on an existing file or symlink instead of writing through it.
     */
    private static void writeNew(Path file, byte[] content, FileAttribute<?>... attributes) throws IOException {
        try (OutputStream out = Files.newOutputStream(Files.createFile(file, attributes), StandardOpenOption.WRITE)) {
            out.write(content);
        }
    }
}
