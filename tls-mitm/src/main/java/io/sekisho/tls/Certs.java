package io.sekisho.tls;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Small certificate helpers shared by the CA, the minter and the trial CA. */
final class Certs {

    private Certs() {
    }

    /** RFC 2253 form, e.g. {@code CN=Sekisho Trial CA,O=Sekisho}. */
    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    /** SHA-256 over the DER certificate, as {@code AB:CD:…} — the form openssl and certutil print. */
    static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-256 of a parsed certificate cannot fail", e);
        }
    }

    /**
     * The certificate's subjectKeyIdentifier, or — for a CA that has none — the RFC 5280
     * §4.2.1.2 method (1) value computed from its public key, so a leaf's AKI always matches.
     */
    static byte[] keyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            try {
                return SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension))
                        .getKeyIdentifier();
            } catch (IOException | RuntimeException e) {
                // A malformed SKI is treated as absent: the computed value is as good for AKI.
            }
        }
        return keyIdentifier(certificate.getPublicKey());
    }

    /** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
    static byte[] keyIdentifier(PublicKey publicKey) {
        try {
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey).getKeyIdentifier();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always present", e);
        }
    }

    /** SHA-256 with the signer's key type: the issue requires SHA-256 for every signature we make. */
    static String signatureAlgorithm(PrivateKey signer) {
        return switch (signer.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + signer.getAlgorithm());
        };
    }
}
