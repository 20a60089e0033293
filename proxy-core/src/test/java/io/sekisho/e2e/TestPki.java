package io.sekisho.e2e;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI generated inside the test: one root CA and leaves it signs, written as PEM
 * files for clients that take a path (curl {@code --cacert}, {@code AWS_CA_BUNDLE},
 * {@code upstream.trustedCertificates}, Chromium's NSS db).
 *
 * <p>Every leaf shares one EC P-256 key: signing a certificate is cheap, generating a key is not,
 * and the fake origin mints a leaf per SNI name on its event loop. Sharing a key is fine for a test
 * origin and would be wrong for the proxy's MITM leaves (STYLE.md 12).
 */
public final class TestPki {

    /** Wildcards that cover the AWS host shapes the fakes answer for (one label per {@code *}). */
    public static final List<String> AWS_WILDCARDS = List.of(
            "*.amazonaws.com", "*.us-east-1.amazonaws.com", "*.eu-west-1.amazonaws.com",
            "*.s3.amazonaws.com", "*.s3.us-east-1.amazonaws.com", "*.s3.eu-west-1.amazonaws.com",
            "*.sso.eu-west-1.amazonaws.com", "*.sso.us-east-1.amazonaws.com",
            "*.awsapps.com", "signin.aws.amazon.com", "*.signin.aws.amazon.com",
            "console.aws.amazon.com", "*.console.aws.amazon.com", "*.app.aws",
            "*.portal.eu-west-1.app.aws", "*.oauth.signin.aws", "*.us-east-1.api.aws");

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(2);

    private final Path dir;
    private final Clock clock;
    private final SecureRandom random;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final Path caPem;
    private final KeyPair leafKeys;
    private final Map<String, Leaf> leaves = new ConcurrentHashMap<>();

    /** A signed leaf, its key and where its PEM files are. {@code chain} is leaf then issuer. */
    public record Leaf(String label, PrivateKey key, List<X509Certificate> chain,
                       Path certificatePem, Path keyPem) {

        public X509Certificate certificate() {
            return chain.get(0);
        }

        /** A Netty server context presenting this leaf (HTTP/1.1 only, no ALPN). */
        public SslContext serverContext() {
            try {
                return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new)).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private TestPki(Path dir, Clock clock, SecureRandom random) throws GeneralSecurityException {
        this.dir = dir;
        this.clock = clock;
        this.random = random;
        this.caKeys = newEcKeyPair(random);
        this.leafKeys = newEcKeyPair(random);
        this.caCertificate = signCa();
        this.caPem = writePem(dir.resolve("ca.pem"), caCertificate);
    }

    /** Creates a CA named "Sekisho Test Origin CA" and writes {@code dir/ca.pem}. */
    public static TestPki create(Path dir) {
        return create(dir, Clock.systemUTC(), new SecureRandom());
    }

    public static TestPki create(Path dir, Clock clock, SecureRandom random) {
        try {
            Files.createDirectories(dir);
            return new TestPki(dir, clock, random);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create test PKI", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** PEM of the root CA: what a client must trust to accept this PKI's leaves. */
    public Path caPem() {
        return caPem;
    }

    public Path directory() {
        return dir;
    }

    /** A valid leaf for the given DNS names and/or IP literals (cached by the name list). */
    public Leaf leaf(String... names) {
        return leaves.computeIfAbsent("valid:" + String.join(",", names),
                label -> issue(label, List.of(names), validityNow(), caKeys, caCertificate));
    }

    /** A leaf covering {@link #AWS_WILDCARDS} plus {@code localhost} and {@code 127.0.0.1}. */
    public Leaf awsWildcardLeaf() {
        List<String> names = new ArrayList<>(AWS_WILDCARDS);
        names.add("localhost");
        names.add("127.0.0.1");
        return leaf(names.toArray(String[]::new));
    }

    /** A leaf for the names whose validity ended a day ago. */
    public Leaf expiredLeaf(String... names) {
        Instant now = clock.instant();
        return leaves.computeIfAbsent("expired:" + String.join(",", names), label -> issue(label,
                List.of(names), new Instant[] {now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))},
                caKeys, caCertificate));
    }

    /** A valid CA-signed leaf that names a host nobody asks for. */
    public Leaf wrongHostLeaf() {
        return leaf("wrong-host.sekisho.invalid");
    }

    /** A leaf signed by its own key: valid dates and names, no trusted issuer. */
    public Leaf selfSignedLeaf(String... names) {
        return leaves.computeIfAbsent("self:" + String.join(",", names),
                label -> issue(label, List.of(names), validityNow(), leafKeys, null));
    }

    /** Base64 SHA-256 of the CA's SubjectPublicKeyInfo (Chromium's SPKI-pin format). */
    public String caSpkiSha256() {
        try {
            byte[] spki = caCertificate.getPublicKey().getEncoded();
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust store holding only this CA. */
    public KeyStore trustStore() {
        return trustStore(caCertificate);
    }

    public TrustManager[] trustManagers() {
        return trustManagers(caCertificate);
    }

    /** A Netty client context trusting only this CA (what the proxy's upstream side would use). */
    public SslContext clientContext() {
        try {
            return SslContextBuilder.forClient().trustManager(caCertificate).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KeyStore trustStore(X509Certificate... cas) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.length; i++) {
                store.setCertificateEntry("ca-" + i, cas[i]);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TrustManager[] trustManagers(X509Certificate... cas) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore(cas));
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant[] validityNow() {
        Instant now = clock.instant();
        return new Instant[] {now.minus(BACKDATE), now.plus(LEAF_LIFETIME)};
    }

    private Leaf issue(String label, List<String> names, Instant[] validity, KeyPair issuerKeys,
                       X509Certificate issuer) {
        try {
            boolean selfSigned = issuer == null;
            X500Name subject = new X500Name("CN=" + names.get(0).replace("*", "wildcard"));
            X500Name issuerName = selfSigned ? subject : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial(),
                    Date.from(validity[0]), Date.from(validity[1]), subject, leafKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leafKeys.getPublic()));
            PublicKey issuerPublic = issuerKeys.getPublic();
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    selfSigned ? ext.createAuthorityKeyIdentifier(issuerPublic) : ext.createAuthorityKeyIdentifier(issuer));
            X509Certificate certificate = sign(builder, issuerKeys.getPrivate());
            List<X509Certificate> chain = selfSigned ? List.of(certificate) : List.of(certificate, issuer);
            String file = label.replaceAll("[^A-Za-z0-9.-]", "_");
            file = file.length() > 80 ? file.substring(0, 60) + "-" + Integer.toHexString(label.hashCode()) : file;
            Path certPem = writePem(dir.resolve(file + ".pem"), certificate);
            Path keyPem = writePem(dir.resolve(file + ".key.pem"), leafKeys.getPrivate());
            return new Leaf(label, leafKeys.getPrivate(), chain, certPem, keyPem);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue " + label, e);
        }
    }

    private X509Certificate signCa() throws GeneralSecurityException {
        Instant now = clock.instant();
        X500Name name = new X500Name("CN=Sekisho Test Origin CA, O=Sekisho tests");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(Duration.ofDays(30))), name, caKeys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sign(builder, caKeys.getPrivate());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static GeneralNames subjectAltNames(List<String> names) {
        GeneralName[] general = new GeneralName[names.size()];
        for (int i = 0; i < general.length; i++) {
            String name = names.get(i);
            general[i] = isIpLiteral(name) ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name);
        }
        return new GeneralNames(general);
    }

    static boolean isIpLiteral(String name) {
        if (name.contains(":")) {
            return true;
        }
        if (!name.matches("[0-9.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(name) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static KeyPair newEcKeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static Path writePem(Path file, Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
