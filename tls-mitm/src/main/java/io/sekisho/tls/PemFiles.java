package io.sekisho.tls;

import io.sekisho.tls.CaException.Problem;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificates and private keys from PEM files. Blocks of other types are skipped, so one
 * combined file can serve as both certificate and key file.
 *
 * <p>Messages about key files never quote the parser's detail: it could echo key bytes.
 */
final class PemFiles {

    private PemFiles() {
    }

    /** Every certificate in {@code file}, in file order; at least one. */
    static List<X509Certificate> readCertificates(Path file) throws CaException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(open(file))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                X509CertificateHolder holder = certificateHolder(object);
                if (holder != null) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (CaException e) {
            throw e;
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new CaException(Problem.UNREADABLE,
                    "cannot read " + file + ": not a valid PEM certificate (" + e.getMessage() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new CaException(Problem.NO_CERTIFICATE,
                    "no certificate found in " + file + " (expected PEM: -----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(certificates);
    }

    /**
     * The first private key in {@code file}: PKCS#8, PKCS#1 RSA, SEC1 EC (an "EC PARAMETERS"
     * block before it is skipped), encrypted PKCS#8, or a legacy OpenSSL-encrypted key.
     *
     * @param password null when the key is not encrypted
     */
    static PrivateKey readPrivateKey(Path file, char @Nullable [] password) throws CaException {
        try (PEMParser parser = new PEMParser(open(file))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                PrivateKeyInfo info = privateKeyInfo(object, file, password);
                if (info != null) {
                    return toPrivateKey(info, file);
                }
            }
        } catch (CaException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CaException(Problem.UNREADABLE,
                    "cannot read " + file + ": not a valid PEM private key (" + e.getClass().getSimpleName() + ")");
        }
        throw new CaException(Problem.NO_KEY,
                "no private key found in " + file + " (expected PEM: -----BEGIN PRIVATE KEY----- or similar)");
    }

    /** Only RSA and EC keys: what the leaf signature algorithms and both TLS providers support. */
    static PrivateKey toPrivateKey(PrivateKeyInfo info, Path file) throws CaException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (!algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)
                && !algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            throw new CaException(Problem.UNSUPPORTED_KEY,
                    "unsupported private key algorithm " + algorithm + " in " + file + "; use RSA or EC");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            throw new CaException(Problem.UNREADABLE,
                    "cannot read " + file + ": the private key cannot be decoded ("
                            + e.getClass().getSimpleName() + ")");
        }
    }

    /** Opens as ISO-8859-1, which decodes any byte: a DER file then reads as "no PEM block". */
    private static Reader open(Path file) throws CaException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    static CaException unreadable(Path file, IOException e) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else {
            why = e.getClass().getSimpleName();
        }
        return new CaException(Problem.UNREADABLE, "cannot read " + file + ": " + why, e);
    }

    private static @Nullable X509CertificateHolder certificateHolder(Object object) {
        if (object instanceof X509CertificateHolder holder) {
            return holder;
        }
        if (object instanceof X509TrustedCertificateBlock trusted) {
            return trusted.getCertificateHolder();
        }
        return null;
    }

    private static @Nullable PrivateKeyInfo privateKeyInfo(Object object, Path file, char @Nullable [] password)
            throws CaException {
        if (object instanceof PrivateKeyInfo info) {
            return info;
        }
        if (object instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            char[] pw = requirePassword(file, password);
            try {
                return encrypted.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(pw));
            } catch (Exception e) {
                // A wrong password shows as bad padding or, rarely, as garbage that does not parse.
                throw wrongPassword(file);
            }
        }
        if (object instanceof PEMEncryptedKeyPair encrypted) {
            char[] pw = requirePassword(file, password);
            try {
                return encrypted.decryptKeyPair(
                        new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(pw))
                        .getPrivateKeyInfo();
            } catch (Exception e) {
                throw wrongPassword(file);
            }
        }
        return null;
    }

    /** The password, or a typed failure when an encrypted key came without one. */
    private static char[] requirePassword(Path file, char @Nullable [] password) throws CaException {
        if (password == null) {
            throw new CaException(Problem.PASSWORD_REQUIRED,
                    "the private key in " + file + " is encrypted but no password was given");
        }
        return password;
    }

    static CaException wrongPassword(Path file) {
        return new CaException(Problem.WRONG_PASSWORD, "wrong password for " + file);
    }

    /**
     * A private BouncyCastle provider instance for the PBE ciphers of encrypted keys (some legacy
     * ones are not in the JDK). It is not registered globally, so nothing else changes provider.
     */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
