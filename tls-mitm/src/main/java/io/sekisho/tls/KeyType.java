package io.sekisho.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Locale;

/** The key pairs Sekisho generates, named as in the configuration ({@code tls.leafKeyType}). */
public enum KeyType {
    /** The default for leaves and trial CAs: fast to generate and to sign with. */
    EC_P256("ec-p256", "EC", new ECGenParameterSpec("secp256r1")),
    /** For leaves served to old clients that cannot verify ECDSA. */
    RSA_2048("rsa-2048", "RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4)),
    /** For trial CAs on request ({@code sekisho ca init --rsa}): outlives its 10 years (NIST SP 800-57). */
    RSA_3072("rsa-3072", "RSA", new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4));

    private final String configName;
    private final String algorithm;
    @SuppressWarnings("ImmutableEnumChecker") // the JDK specs used here have no mutators
    private final AlgorithmParameterSpec spec;

    KeyType(String configName, String algorithm, AlgorithmParameterSpec spec) {
        this.configName = configName;
        this.algorithm = algorithm;
        this.spec = spec;
    }

    /** The name used in the configuration and on the command line. */
    public String configName() {
        return configName;
    }

    /** The JCA key algorithm: "EC" or "RSA". */
    public String algorithm() {
        return algorithm;
    }

    /** Parses a configuration name such as {@code ec-p256}; throws for anything else. */
    public static KeyType fromConfigName(String name) {
        String folded = name.toLowerCase(Locale.ROOT);
        for (KeyType type : values()) {
            if (type.configName.equals(folded)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + name + "'; use ec-p256, rsa-2048 or rsa-3072");
    }

    /** A fresh key pair drawn from {@code random}. Slow for RSA: never call on an event loop. */
    public KeyPair generate(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(spec, random);
        return generator.generateKeyPair();
    }
}
