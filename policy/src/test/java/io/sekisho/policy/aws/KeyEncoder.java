package io.sekisho.policy.aws;

import io.sekisho.policy.aws.credentials.AccessKeys;

/**
 * Test-only inverse of {@link AccessKeys#decodeAccount}: builds a new-generation key ID that
 * encodes an account (the layout of aws-wire-facts §2.1 and the corpus's keygen.py: generation
 * bit set, account in bits 7..46 of the 48-bit head, the other bits free).
 */
public final class KeyEncoder {
    private static final String B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private KeyEncoder() {
    }

    public static String encode(String prefix, long account, long freeBits) {
        long head = (1L << 47) | (account << 7) | (freeBits & 0x7F);
        long tail = (freeBits >>> 7) & 0xFFFF_FFFFL;
        // 80 bits: head (48) then tail (32); 16 base32 characters of 5 bits each.
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; i < 16; i++) {
            int shift = 75 - 5 * i;
            int v = shift >= 32 ? (int) ((head >>> (shift - 32)) & 0x1F) : (int) (((head << (32 - shift)) | (tail >>> shift)) & 0x1F);
            b.append(B32.charAt(v));
        }
        return b.toString();
    }

    /** An old-generation key: generation bit clear. */
    public static String encodeOld(String prefix, long bits) {
        String k = encode(prefix, 0, bits);
        char fifth = B32.charAt(B32.indexOf(k.charAt(4)) & 0x0F);
        return k.substring(0, 4) + fifth + k.substring(5);
    }
}
