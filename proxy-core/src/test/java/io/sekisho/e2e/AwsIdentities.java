package io.sekisho.e2e;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Fake AWS identities for e2e tests, the same ones as the corpus table
 * ({@code shared/corpus/keygen.py}, seed "corpus"): new-generation access key IDs that decode to
 * a chosen account (Aidan Steele 2020, Tal Be'ery 2023), and 40-char secrets / 860-char session
 * tokens that are valid for nothing.
 *
 * <p>The fakes use {@link #accountOf} to answer like AWS would (GetCallerIdentity's Account, the
 * account a SigninToken belongs to); this copy of the algorithm keeps the fixtures independent of
 * the policy module they test.
 */
public final class AwsIdentities {

    public static final String CORPORATE = "111122223333";
    public static final String CORPORATE_2 = "444455556666";
    public static final String FOREIGN = "999988887777";
    public static final String FOREIGN_2 = "123456789012";

    /** An old-generation key (AWS documentation example): its account cannot be decoded. */
    public static final Identity OLD_FORMAT = new Identity("AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null, null);

    private static final long GENERATION_BIT = 1L << 47;
    private static final long ACCOUNT_MASK = 0x7FFFFFFFFF80L;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SEED = "corpus";

    /** A key pair and, for {@code ASIA} keys, a session token. {@code account} is null when not decodable. */
    public record Identity(String accessKeyId, String secretAccessKey, String sessionToken, String account) {

        /** Never print secrets in assertion messages. */
        @Override
        public String toString() {
            return accessKeyId + " (account " + account + ")";
        }
    }

    private AwsIdentities() {
    }

    /** Long-term ({@code AKIA}) identity of the account, as in the corpus table. */
    public static Identity longTerm(String account) {
        return identity("AKIA", account, SEED);
    }

    /** Temporary ({@code ASIA}) identity of the account with a session token, as in the corpus table. */
    public static Identity temporary(String account) {
        return identity("ASIA", account, SEED);
    }

    /** The corpus identity (any of the four accounts, AKIA or ASIA, or the old-format key) with this key ID. */
    public static Optional<Identity> byAccessKeyId(String keyId) {
        if (OLD_FORMAT.accessKeyId().equals(keyId)) {
            return Optional.of(OLD_FORMAT);
        }
        for (String account : new String[] {CORPORATE, CORPORATE_2, FOREIGN, FOREIGN_2}) {
            for (Identity identity : new Identity[] {longTerm(account), temporary(account)}) {
                if (identity.accessKeyId().equals(keyId)) {
                    return Optional.of(identity);
                }
            }
        }
        return Optional.empty();
    }

    /** An identity with its own seed, e.g. the credentials a fake AssumeRole hands out. */
    public static Identity identity(String prefix, String account, String seed) {
        String keyId = encodeKeyId(account, prefix, seed);
        String token = prefix.equals("ASIA") ? sessionToken(keyId, seed) : null;
        return new Identity(keyId, secret(keyId, seed), token, account);
    }

    /** The account a new-generation key ID encodes; empty for old-generation or malformed IDs. */
    public static Optional<String> accountOf(String keyId) {
        if (keyId == null || keyId.length() != 20) {
            return Optional.empty();
        }
        byte[] raw = base32Decode(keyId.substring(4));
        if (raw == null) {
            return Optional.empty();
        }
        long head = new BigInteger(1, Arrays.copyOf(raw, 6)).longValue();
        if ((head & GENERATION_BIT) == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format("%012d", (head & ACCOUNT_MASK) >>> 7));
    }

    static String encodeKeyId(String account, String prefix, String seed) {
        long number = Long.parseLong(account);
        byte[] random = prng(seed, "keyid:" + prefix + ":" + String.format("%012d", number), 5);
        long head = GENERATION_BIT | (number << 7) | (random[0] & 0x7F);
        byte[] raw = new byte[10];
        for (int i = 0; i < 6; i++) {
            raw[i] = (byte) (head >>> (8 * (5 - i)));
        }
        System.arraycopy(random, 1, raw, 6, 4);
        return prefix + base32Encode(raw);
    }

    private static String secret(String keyId, String seed) {
        return Base64.getEncoder().encodeToString(prng(seed, "secret:" + keyId, 30)).substring(0, 40);
    }

    private static String sessionToken(String keyId, String seed) {
        String body = Base64.getEncoder().encodeToString(prng(seed, "token:" + keyId, 860));
        return ("IQoJb3JpZ2luX2VjE" + body).substring(0, 860);
    }

    /** SHA-256 in counter mode, byte-compatible with keygen.py's {@code _prng}. */
    private static byte[] prng(String seed, String label, int length) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] out = new byte[length];
            int filled = 0;
            for (int i = 0; filled < length; i++) {
                byte[] block = sha256.digest((seed + "|" + label + "|" + i).getBytes(StandardCharsets.UTF_8));
                int n = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, out, filled, n);
                filled += n;
            }
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base32Encode(byte[] raw) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : raw) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return out.toString();
    }

    private static byte[] base32Decode(String text) {
        byte[] out = new byte[text.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int index = 0;
        for (char c : text.toCharArray()) {
            int value = BASE32.indexOf(c);
            if (value < 0) {
                return null;
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out[index++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }
}
