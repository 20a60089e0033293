package io.sekisho.tls;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints one leaf certificate per intercepted host, signed by the {@link CertificateAuthority}.
 * Each leaf gets its own fresh key pair (never the CA key: a leaf key lives in memory on a busy
 * proxy and must not be worth the CA), a random serial, SAN, EKU serverAuth, AKI/SKI, and a
 * short validity backdated for client clock skew. Every leaf is verified against the CA before
 * it is returned.
 *
 * <p>Key generation and signing take from a fraction of a millisecond (EC) to tens of
 * milliseconds (RSA): call only from the minting executor, never from an event loop.
 */
public final class LeafMinter {

    private static final Logger log = LoggerFactory.getLogger(LeafMinter.class);

    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);
    /** Clients whose clock runs a little behind must still accept a leaf minted just now. */
    static final Duration BACKDATE = Duration.ofHours(1);
    /** The configuration's lower bound ({@code tls.leaf.lifetime}); the cache keeps such a leaf half an hour. */
    static final Duration MIN_LIFETIME = Duration.ofHours(1);
    /** Apple platforms and the CA/Browser Forum reject server certificates valid for over 398 days. */
    static final Duration MAX_LIFETIME = Duration.ofDays(397);
    /** RFC 5280 Appendix A, ub-common-name. */
    static final int MAX_COMMON_NAME = 64;
    /** RFC 5280 §4.1.2.2: serial numbers are positive and at most 20 octets; 128 random bits are unguessable. */
    static final int SERIAL_BITS = 128;
    static final String ORGANIZATION = "Sekisho";

    private final CertificateAuthority ca;
    private final KeyType keyType;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random;
    private final JcaContentSignerBuilder signerBuilder;

    /**
     * @param keyType {@link KeyType#EC_P256} (default) or {@link KeyType#RSA_2048} for old clients
     * @param lifetime leaf validity after now, from {@link #MIN_LIFETIME} to {@link #MAX_LIFETIME};
     *     the CA's own notAfter caps it
     */
    public LeafMinter(CertificateAuthority ca, KeyType keyType, Duration lifetime, Clock clock, SecureRandom random) {
        this.ca = Objects.requireNonNull(ca);
        this.keyType = Objects.requireNonNull(keyType);
        this.lifetime = Objects.requireNonNull(lifetime);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("leaf lifetime " + lifetime + " is outside " + MIN_LIFETIME
                    + " .. " + MAX_LIFETIME);
        }
        this.signerBuilder = new JcaContentSignerBuilder(Certs.signatureAlgorithm(ca.privateKey()))
                .setSecureRandom(random);
    }

    /** Defaults: EC P-256 leaves valid for {@link #DEFAULT_LIFETIME}. */
    public LeafMinter(CertificateAuthority ca, Clock clock, SecureRandom random) {
        this(ca, KeyType.EC_P256, DEFAULT_LIFETIME, clock, random);
    }

    /**
     * Mints a leaf for {@code host}: a DNS name (already normalised: lower case, punycode, no
     * trailing dot) or an IP literal (IPv6 with or without brackets).
     *
     * @throws IllegalArgumentException when {@code host} is neither
     * @throws GeneralSecurityException when the CA has expired or the signed leaf fails to verify
     */
    public Leaf mint(String host) throws GeneralSecurityException {
        GeneralName name = subjectAltName(host);
        KeyPair keyPair = keyType.generate(random);
        Instant now = clock.instant();
        Instant notBefore = now.minus(BACKDATE);
        Instant notAfter = min(now.plus(lifetime), ca.notAfter());
        if (!notAfter.isAfter(now)) {
            throw new GeneralSecurityException("the CA '" + ca.subject() + "' expired on " + ca.notAfter());
        }
        X509Certificate leaf = sign(builder(host, name, keyPair, notBefore, notAfter));
        // Never hand out what we did not check: a wrong key, a broken provider or a clock
        // outside the window would otherwise surface only as a client's handshake failure.
        leaf.verify(ca.certificate().getPublicKey());
        leaf.checkValidity(Date.from(now));
        List<X509Certificate> chain = new ArrayList<>(1 + ca.certificates().size());
        chain.add(leaf);
        chain.addAll(ca.certificates());
        Leaf minted = new Leaf(host, keyPair.getPrivate(), chain);
        log.debug("minted {}", minted);
        return minted;
    }

    private X509v3CertificateBuilder builder(
            String host, GeneralName name, KeyPair keyPair, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                ca.certificate(), serial(), Date.from(notBefore), Date.from(notAfter),
                subject(host), keyPair.getPublic());
        int usage = KeyUsage.digitalSignature;
        if (keyType.algorithm().equals("RSA")) {
            // RSA key exchange in TLS 1.2 (RFC 5246) encrypts to the key; ECDSA keys only sign.
            usage |= KeyUsage.keyEncipherment;
        }
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(ca.keyIdentifier()));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(Certs.keyIdentifier(keyPair.getPublic())));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode leaf extensions", e);
        }
        return builder;
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) throws GeneralSecurityException {
        // A ContentSigner is a single signature stream: one per leaf, so minting threads never share one.
        ContentSigner signer;
        try {
            signer = signerBuilder.build(ca.privateKey());
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with the CA key", e);
        }
        X509CertificateHolder holder = builder.build(signer);
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    /** A positive serial of at most 128 bits; zero is not positive, so draw again. */
    private BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(SERIAL_BITS, random);
        } while (serial.signum() == 0);
        return serial;
    }

    /**
     * Clients match the SAN, not the CN (RFC 6125 §6.4.4); CN = host is kept for humans reading
     * the certificate and is left out when the host is longer than a CN may be.
     */
    private static X500Name subject(String host) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, ORGANIZATION);
        if (host.length() <= MAX_COMMON_NAME) {
            name.addRDN(BCStyle.CN, host);
        }
        return name.build();
    }

    /** iPAddress for IP literals (clients compare those octets), dNSName otherwise. */
    static GeneralName subjectAltName(String host) {
        Objects.requireNonNull(host);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] address = NetUtil.createByteArrayFromIpAddressString(bare);
        if (address != null) {
            return new GeneralName(GeneralName.iPAddress, new DEROctetString(address));
        }
        if (!isDnsName(host)) {
            throw new IllegalArgumentException("not a host name or IP literal: '" + host + "'");
        }
        return new GeneralName(GeneralName.dNSName, host);
    }

    /**
     * RFC 1035 §2.3.4 lengths; letters, digits and hyphens (RFC 1123), plus '_' which real
     * service names use. A dNSName is an IA5String: IDNs must arrive as punycode.
     */
    private static boolean isDnsName(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
