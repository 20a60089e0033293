package io.sekisho.tls;

import io.sekisho.tls.CaException.Problem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA that signs leaf certificates: the corporate CA (usually an intermediate issued for the
 * proxy) or a trial CA from {@link CaInit}. Every factory validates before returning, so an
 * instance is always usable: basicConstraints CA=true, keyUsage keyCertSign, inside its validity
 * window, and the private key belongs to the certificate.
 *
 * <p>The private key is reachable only inside this package; {@link #toString()} never shows it.
 */
public final class CertificateAuthority {

    private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);

    /** Index of keyCertSign in {@link X509Certificate#getKeyUsage()} (RFC 5280 §4.2.1.3). */
    private static final int KEY_CERT_SIGN = 5;

    /** Any bytes do for the possession check; ECDSA draws its own nonce. */
    private static final byte[] CHALLENGE =
            "sekisho: does this key belong to the CA?".getBytes(StandardCharsets.US_ASCII);

    private final List<X509Certificate> certificates;
    private final PrivateKey privateKey;
    private final Clock clock;
    private final byte[] keyIdentifier;

    private CertificateAuthority(List<X509Certificate> certificates, PrivateKey privateKey, Clock clock) {
        this.certificates = certificates;
        this.privateKey = privateKey;
        this.clock = clock;
        this.keyIdentifier = Certs.keyIdentifier(certificates.get(0));
    }

    /**
     * Loads {@code tls.ca.certificate} and {@code tls.ca.privateKey}.
     *
     * @param certificatePem the CA certificate, optionally followed by the rest of its chain
     * @param privateKeyPem PKCS#8, PKCS#1 RSA, SEC1 EC or encrypted PKCS#8
     * @param password for an encrypted key, else null; not kept (the caller may clear it)
     */
    public static CertificateAuthority fromPem(Path certificatePem, Path privateKeyPem, char @Nullable [] password,
            Clock clock)
            throws CaException {
        List<X509Certificate> certificates = PemFiles.readCertificates(certificatePem);
        PrivateKey key = PemFiles.readPrivateKey(privateKeyPem, password);
        return of(certificates, key, clock);
    }

    /**
     * Loads a PKCS#12 file holding exactly one private key entry, whose chain starts with the
     * CA certificate.
     *
     * @param password the store (and key) password; null means empty
     */
    public static CertificateAuthority fromPkcs12(Path pkcs12, char @Nullable [] password, Clock clock)
            throws CaException {
        char[] pass = password == null ? new char[0] : password;
        KeyStore store = loadPkcs12(pkcs12, pass);
        try {
            String alias = onlyKeyAlias(store, pkcs12);
            Key key = store.getKey(alias, pass);
            Certificate[] chain = store.getCertificateChain(alias);
            if (chain == null || chain.length == 0) {
                throw new CaException(Problem.NO_CERTIFICATE, "no certificate for the private key in " + pkcs12);
            }
            if (!(key instanceof PrivateKey privateKey)) {
                throw new CaException(Problem.NO_KEY, "no private key found in " + pkcs12);
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : chain) {
                certificates.add((X509Certificate) certificate);
            }
            return of(certificates, privateKey, clock);
        } catch (UnrecoverableKeyException e) {
            throw PemFiles.wrongPassword(pkcs12);
        } catch (GeneralSecurityException e) {
            throw new CaException(Problem.UNREADABLE, "cannot read " + pkcs12 + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Validates an already parsed CA.
     *
     * @param certificates the CA certificate first, then the rest of its chain (may be just the CA)
     */
    public static CertificateAuthority of(List<X509Certificate> certificates, PrivateKey privateKey, Clock clock)
            throws CaException {
        Objects.requireNonNull(clock);
        if (certificates.isEmpty()) {
            throw new CaException(Problem.NO_CERTIFICATE, "no CA certificate given");
        }
        if (privateKey == null) {
            throw new CaException(Problem.NO_KEY, "no CA private key given");
        }
        X509Certificate ca = certificates.get(0);
        String subject = "CA certificate '" + Certs.subject(ca) + "'";
        if (ca.getBasicConstraints() < 0) {
            throw new CaException(Problem.NOT_A_CA, subject + " is not a CA: basicConstraints CA=true is missing");
        }
        // RFC 5280 §4.2.1.3: a CA that signs certificates MUST carry keyUsage with keyCertSign.
        boolean[] usage = ca.getKeyUsage();
        if (usage == null || usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN]) {
            throw new CaException(Problem.NO_KEY_CERT_SIGN,
                    subject + " may not sign certificates: keyUsage keyCertSign is missing");
        }
        requireMatchingKey(ca, privateKey, subject);
        Instant now = clock.instant();
        if (now.isAfter(ca.getNotAfter().toInstant())) {
            throw new CaException(Problem.EXPIRED, subject + " expired on " + ca.getNotAfter().toInstant());
        }
        if (now.isBefore(ca.getNotBefore().toInstant())) {
            throw new CaException(Problem.NOT_YET_VALID,
                    subject + " is not valid until " + ca.getNotBefore().toInstant());
        }
        CertificateAuthority authority = new CertificateAuthority(List.copyOf(certificates), privateKey, clock);
        log.debug("CA loaded: {}", authority);
        return authority;
    }

    /** The CA certificate: the issuer of every leaf. */
    public X509Certificate certificate() {
        return certificates.get(0);
    }

    /** The CA certificate followed by the rest of its chain as given: sent after each leaf. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** RFC 2253 subject of the CA certificate. */
    public String subject() {
        return Certs.subject(certificate());
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** SHA-256 fingerprint of the CA certificate ({@code AB:CD:…}). */
    public String sha256Fingerprint() {
        return Certs.sha256Fingerprint(certificate());
    }

    /** True when the CA expires within {@code window} from now: the caller warns at 30 days. */
    public boolean expiresWithin(Duration window) {
        return !clock.instant().plus(window).isBefore(notAfter());
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** The CA's subjectKeyIdentifier: each leaf's authorityKeyIdentifier. */
    byte[] keyIdentifier() {
        return keyIdentifier.clone();
    }

    @Override
    public String toString() {
        return "CertificateAuthority[subject=" + subject() + ", notAfter=" + notAfter()
                + ", sha256=" + sha256Fingerprint() + ", chain=" + certificates.size() + "]";
    }

    /** Proves possession: a signature made with the key must verify with the certificate. */
    private static void requireMatchingKey(X509Certificate ca, PrivateKey key, String subject) throws CaException {
        String algorithm;
        try {
            algorithm = Certs.signatureAlgorithm(key);
        } catch (IllegalArgumentException e) {
            throw new CaException(Problem.UNSUPPORTED_KEY,
                    "unsupported private key algorithm " + key.getAlgorithm() + "; use RSA or EC");
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(ca.getPublicKey());
            verifier.update(CHALLENGE);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // A key of another type than the certificate's lands here: also a mismatch.
        }
        throw new CaException(Problem.KEY_MISMATCH, "the private key does not match " + subject);
    }

    private static KeyStore loadPkcs12(Path file, char[] password) throws CaException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw PemFiles.unreadable(file, e);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            return store;
        } catch (IOException e) {
            // The JDK reports a failed MAC check as an IOException caused by UnrecoverableKeyException.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw PemFiles.wrongPassword(file);
            }
            throw new CaException(Problem.UNREADABLE, "cannot read " + file + ": not a valid PKCS#12 file", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CaException(Problem.UNREADABLE, "cannot read " + file + ": not a valid PKCS#12 file", e);
        }
    }

    private static String onlyKeyAlias(KeyStore store, Path file) throws GeneralSecurityException, CaException {
        List<String> keyAliases = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                keyAliases.add(alias);
            }
        }
        if (keyAliases.isEmpty()) {
            throw new CaException(Problem.NO_KEY, "no private key found in " + file);
        }
        if (keyAliases.size() > 1) {
            throw new CaException(Problem.SEVERAL_KEYS,
                    "several private keys in " + file + " " + keyAliases + "; keep only the CA's");
        }
        return keyAliases.get(0);
    }
}
