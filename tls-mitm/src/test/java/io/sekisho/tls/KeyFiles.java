package io.sekisho.tls;

import static io.sekisho.tls.TestPki.pem;
import static io.sekisho.tls.TestPki.write;

import io.sekisho.tls.TestPki.Issued;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.util.io.pem.PemObject;

/** Key and certificate files in the formats an operator might hand the proxy. */
final class KeyFiles {

    private KeyFiles() {
    }

    static String pkcs8(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String encryptedPkcs8(PrivateKey key, char[] password) throws Exception {
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider()).setPassword(password).build();
        return pem(new JcaPKCS8Generator(key, encryptor));
    }

    /** SEC1 with its curve and public key inside, as OpenSSL writes it (RFC 5915 §3). */
    static String sec1(KeyPair keys) throws IOException {
        ECPrivateKey key = (ECPrivateKey) keys.getPrivate();
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        byte[] point = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData().getBytes();
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(),
                new DERBitString(point), info.getPrivateKeyAlgorithm().getParameters());
        return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    static Path certFile(Path dir, Issued ca) {
        return write(dir.resolve("cert-" + ca.certificate().getSerialNumber() + ".pem"), pem(ca.certificate()));
    }

    static Path pkcs12(Path dir, PrivateKey key, char[] password, Issued... chain) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Certificate[] certificates = new Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            certificates[i] = chain[i].certificate();
        }
        store.setKeyEntry("ca", key, password, certificates);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return Files.write(dir.resolve("ca-" + System.nanoTime() + ".p12"), out.toByteArray());
    }
}
