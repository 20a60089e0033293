package io.sekisho.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test PKI built in the test, independent of the code under test: roots, intermediates and
 * server certificates with whatever (mis)properties a case needs.
 */
final class TestPki {

    /** Real now: certificates from here also serve in real handshakes, which use the system clock. */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    /** A certificate and its key pair. */
    record Issued(X509Certificate certificate, KeyPair keyPair) {
        PrivateKey privateKey() {
            return keyPair.getPrivate();
        }
    }

    static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair rsaKey(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static Spec spec(String subject) {
        return new Spec(subject);
    }

    /** A root CA valid around {@link #NOW}. */
    static Issued root(String cn) {
        return spec("CN=" + cn + ",O=Test").ca().issue();
    }

    /** An intermediate CA under {@code parent}. */
    static Issued intermediate(Issued parent, String cn) {
        return spec("CN=" + cn + ",O=Test").ca().issuer(parent).issue();
    }

    /** A TLS server certificate for {@code host} under {@code issuer}. */
    static Issued server(Issued issuer, String host) {
        return spec("CN=" + host).server(host).issuer(issuer).issue();
    }

    /** Fluent description of one certificate. Defaults: EC key, valid NOW ± 30 days, no extensions. */
    static final class Spec {
        private final String subject;
        private KeyPair keyPair;
        private Issued issuer;
        private Instant notBefore = NOW.minus(Duration.ofDays(30));
        private Instant notAfter = NOW.plus(Duration.ofDays(30));
        private boolean ca;
        private Integer keyUsage;
        private final List<String> dnsNames = new ArrayList<>();

        private Spec(String subject) {
            this.subject = subject;
        }

        /** basicConstraints CA=true and keyUsage keyCertSign|cRLSign. */
        Spec ca() {
            this.ca = true;
            this.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
            return this;
        }

        Spec basicConstraintsCa(boolean value) {
            this.ca = value;
            return this;
        }

        /** A keyUsage extension with these bits; null for none. */
        Spec keyUsage(Integer bits) {
            this.keyUsage = bits;
            return this;
        }

        Spec server(String host) {
            this.dnsNames.add(host);
            this.keyUsage = KeyUsage.digitalSignature;
            return this;
        }

        Spec key(KeyPair keys) {
            this.keyPair = keys;
            return this;
        }

        Spec issuer(Issued parent) {
            this.issuer = parent;
            return this;
        }

        Spec validity(Instant from, Instant to) {
            this.notBefore = from;
            this.notAfter = to;
            return this;
        }

        Issued issue() {
            KeyPair keys = keyPair != null ? keyPair : ecKey();
            X500Name name = new X500Name(subject);
            X500Name issuerName = issuer == null ? name
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.privateKey();
            try {
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                        new BigInteger(64, RANDOM).setBit(0), Date.from(notBefore), Date.from(notAfter),
                        name, keys.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                if (keyUsage != null) {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                }
                SubjectKeyIdentifier ski = utils.createSubjectKeyIdentifier(keys.getPublic());
                builder.addExtension(Extension.subjectKeyIdentifier, false, ski);
                AuthorityKeyIdentifier aki = issuer == null
                        ? new AuthorityKeyIdentifier(ski.getKeyIdentifier())
                        : utils.createAuthorityKeyIdentifier(issuer.keyPair().getPublic());
                builder.addExtension(Extension.authorityKeyIdentifier, false, aki);
                if (!dnsNames.isEmpty()) {
                    GeneralName[] names = dnsNames.stream()
                            .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                    builder.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                }
                String algorithm = signingKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
                X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
                return new Issued(certificate, keys);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    /** PEM text of any objects BouncyCastle can write (certificates; keys in PKCS#1/SEC1 form). */
    static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toString();
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
