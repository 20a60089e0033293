package io.sekisho.policy.signin;

import java.util.Map;
import java.util.Optional;

/**
 * Minimal access-key decoder for the sign-in flows until the {@code aws} package's
 * {@code AccessKeys} / {@code AccountResolver} is merged.
 *
 * <p>TODO(merge): delete this class; {@link KeyAccounts#offline} becomes an adapter over
 * {@code io.sekisho.policy.aws.AccountResolver}.
 *
 * <p>Algorithm (aws-wire-facts §2.1, Aidan Steele 2020 as corrected by Tal Be'ery): the 16
 * characters after the 4-character prefix are RFC 4648 base32; the first 6 decoded bytes,
 * big-endian, masked with {@code 0x7FFFFFFFFF80} and shifted right by 7, are the account.
 * Only new-format keys carry the account: bit 47 of that field is the generation flag, i.e.
 * the 5th character's base32 value is at least 16 ({@code Q}-{@code Z}, {@code 2}-{@code 7}).
 * Old-format keys ({@code AKIAI…}, {@code AKIAJ…}, any 5th character {@code A}-{@code P})
 * decode to garbage ({@code AKIAIOSFODNN7EXAMPLE} → 581039954779) and are refused here.
 */
final class OfflineKeyAccounts implements KeyAccounts {
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    /** Long-term and temporary access keys: the only kinds a federation session or SigV4 carries. */
    private static final String[] PREFIXES = {"AKIA", "ASIA"};

    private final Map<String, String> staticKeys;

    OfflineKeyAccounts(Map<String, String> staticKeys) {
        this.staticKeys = Map.copyOf(staticKeys);
    }

    @Override
    public Optional<String> accountOf(String accessKeyId) {
        if (accessKeyId == null) {
            return Optional.empty();
        }
        String fromMap = staticKeys.get(accessKeyId);
        if (fromMap != null) {
            return Optional.of(fromMap);
        }
        return decode(accessKeyId);
    }

    static Optional<String> decode(String akid) {
        if (akid.length() != 20 || !knownPrefix(akid)) {
            return Optional.empty();
        }
        long bits = 0;      // the first 50 bits of the base32 payload (10 characters)
        for (int k = 4; k < 20; k++) {
            int v = BASE32.indexOf(akid.charAt(k));
            if (v < 0) {
                return Optional.empty();
            }
            if (k == 4 && v < 16) {
                return Optional.empty(); // old-format key: no account in it
            }
            if (k < 14) {
                bits = (bits << 5) | v;
            }
        }
        long z = bits >>> 2; // keep the first 48 bits
        long account = (z & 0x7FFFFFFFFF80L) >>> 7;
        // The 40-bit field can exceed 12 decimal digits; such a value is not an account.
        if (account > 999_999_999_999L) {
            return Optional.empty();
        }
        return Optional.of(String.format("%012d", account));
    }

    private static boolean knownPrefix(String akid) {
        for (String p : PREFIXES) {
            if (akid.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
