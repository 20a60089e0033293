package io.sekisho.policy.aws.credentials;

import static io.sekisho.policy.aws.wire.AwsWireFacts.ACCOUNT_MASK;
import static io.sekisho.policy.aws.wire.AwsWireFacts.ACCOUNT_SHIFT;
import static io.sekisho.policy.aws.wire.AwsWireFacts.KEY_ID_LENGTH;
import static io.sekisho.policy.aws.wire.AwsWireFacts.KEY_PREFIX_LENGTH;
import static io.sekisho.policy.aws.wire.AwsWireFacts.LONG_TERM_PREFIX;
import static io.sekisho.policy.aws.wire.AwsWireFacts.NEW_FORMAT_MIN_BASE32_VALUE;
import static io.sekisho.policy.aws.wire.AwsWireFacts.TEMPORARY_PREFIX;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import java.util.Optional;

/**
 * Access key IDs: shape, offline account decoding, masking and type.
 *
 * <p>Decoding follows aws-wire-facts §2.1 (Aidan Steele 2020, corrected by Tal Be'ery; the
 * algorithm of trufflehog and aws-iam-authenticator): base32-decode the 16 characters after the
 * prefix, take the first 48 bits, {@code account = (z & 0x7FFFFFFFFF80) >>> 7}. It is applied
 * only to new-generation keys (§2.2): an old key such as {@code AKIAIOSFODNN7EXAMPLE} yields a
 * number that is not its account, so it is never decoded.
 */
public final class AccessKeys {
    private static final long MAX_ACCOUNT = 999_999_999_999L;

    private AccessKeys() {
    }

    /**
     * True for a 20-character key ID: four upper-case letters, then 16 base32 characters.
     * Anything else where a key ID belongs is a malformed credential.
     */
    public static boolean isWellFormed(String keyId) {
        if (keyId == null || keyId.length() != KEY_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < KEY_PREFIX_LENGTH; i++) {
            char c = keyId.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        for (int i = KEY_PREFIX_LENGTH; i < KEY_ID_LENGTH; i++) {
            if (base32(keyId.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** True for a well-formed key of the generation that encodes its account (5th char Q–Z, 2–7). */
    public static boolean isNewFormat(String keyId) {
        return isWellFormed(keyId) && base32(keyId.charAt(KEY_PREFIX_LENGTH)) >= NEW_FORMAT_MIN_BASE32_VALUE;
    }

    /** The account encoded in a new-generation key ID; empty for old, malformed or other keys. */
    public static Optional<String> decodeAccount(String keyId) {
        return Optional.ofNullable(decodeOrNull(keyId));
    }

    /** {@link #decodeAccount} without the Optional, for the hot path: null when not decodable. */
    public static @Nullable String decodeOrNull(String keyId) {
        if (!isNewFormat(keyId)) {
            return null;
        }
        // 10 base32 characters hold 50 bits; the top 48 are the head z.
        long bits = 0;
        for (int i = KEY_PREFIX_LENGTH; i < KEY_PREFIX_LENGTH + 10; i++) {
            bits = (bits << 5) | base32(keyId.charAt(i));
        }
        long z = bits >>> 2;
        long account = (z & ACCOUNT_MASK) >>> ACCOUNT_SHIFT;
        return account > MAX_ACCOUNT ? null : twelveDigits(account);
    }

    /** "AKIA…SG5Y": first four and last four characters; "…" for anything too short to mask. */
    public static String mask(String keyId) {
        if (keyId == null || keyId.length() < 12) {
            return "…";
        }
        return keyId.substring(0, 4) + "…" + keyId.substring(keyId.length() - 4);
    }

    /** AKIA → long-term, ASIA → temporary, anything else unknown. */
    public static KeyType keyType(String keyId) {
        if (keyId == null) {
            return KeyType.UNKNOWN;
        }
        if (keyId.startsWith(LONG_TERM_PREFIX)) {
            return KeyType.LONG_TERM;
        }
        if (keyId.startsWith(TEMPORARY_PREFIX)) {
            return KeyType.TEMPORARY;
        }
        return KeyType.UNKNOWN;
    }

    /** True when {@code s} is exactly twelve ASCII digits (an account ID). */
    public static boolean isAccountId(CharSequence s) {
        return s != null && s.length() == 12 && isAccountId(s, 0, 12);
    }

    public static boolean isAccountId(CharSequence s, int from, int to) {
        if (to - from != 12) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 4648 base32 value of each ASCII character, -1 for characters outside the alphabet. */
    private static final byte[] BASE32 = base32Table();

    private static byte[] base32Table() {
        byte[] t = new byte[128];
        java.util.Arrays.fill(t, (byte) -1);
        for (int i = 0; i < AwsWireFacts.BASE32_ALPHABET.length(); i++) {
            t[AwsWireFacts.BASE32_ALPHABET.charAt(i)] = (byte) i;
        }
        return t;
    }

    public static int base32(char c) {
        return c < 128 ? BASE32[c] : -1;
    }

    private static String twelveDigits(long n) {
        char[] d = new char[12];
        for (int i = 11; i >= 0; i--) {
            d[i] = (char) ('0' + (n % 10));
            n /= 10;
        }
        return new String(d);
    }
}
