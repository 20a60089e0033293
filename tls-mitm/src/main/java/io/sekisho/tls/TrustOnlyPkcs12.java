package io.sekisho.tls;

import java.io.IOException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;

/**
 * A PKCS#12 file that holds one certificate and no key, for installing trust on clients.
 *
 * <p>The certificate bag is not encrypted and the MAC is the classic HMAC-SHA1: the file holds
 * only a public certificate, so neither protects anything, and this is the combination every
 * importer reads (Windows, macOS Keychain, Java, OpenSSL 1.x and 3.x without "-legacy"). The
 * bag carries Oracle's trusted-key-usage attribute, without which Java's PKCS12 KeyStore skips
 * a certificate that has no key — with it the file works directly as a Java trust store.
 */
final class TrustOnlyPkcs12 {

    /** The JDK's {@code TrustedKeyUsage} attribute (sun.security.pkcs12.PKCS12KeyStore). */
    private static final ASN1ObjectIdentifier ORACLE_TRUSTED_KEY_USAGE =
            new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");
    private static final int MAC_ITERATIONS = 2048;

    private TrustOnlyPkcs12() {
    }

    static byte[] encode(X509Certificate certificate, String friendlyName, char[] password) throws IOException {
        PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(certificate);
        bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(friendlyName));
        bag.addBagAttribute(ORACLE_TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage.toOID());
        PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
        pfx.addData(bag.build());
        try {
            BcPKCS12MacCalculatorBuilder mac = new BcPKCS12MacCalculatorBuilder().setIterationCount(MAC_ITERATIONS);
            return pfx.build(mac, password).getEncoded();
        } catch (PKCSException e) {
            throw new IOException("cannot build the PKCS#12 file", e);
        }
    }
}
