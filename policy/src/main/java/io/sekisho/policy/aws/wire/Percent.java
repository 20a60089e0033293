package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Nullable;
import java.nio.charset.StandardCharsets;

/**
 * URL decoding (RFC 3986 percent escapes, and '+' as space as in form bodies and the queries
 * AWS signs). Bytes are decoded as UTF-8; a malformed escape yields null so that the caller
 * can fail closed instead of guessing.
 */
public final class Percent {
    private Percent() {
    }

    /**
     * True when {@code s[from, to)} holds an escape, a '+', or a raw non-ASCII byte (a char
     * 0x80-0xff of a Latin-1 view of the bytes): such a byte is part of a UTF-8 sequence, and
     * must read the same whether or not an escape sits beside it.
     */
    static boolean needsDecoding(CharSequence s, int from, int to) {
        if (s instanceof String str) {
            for (int i = from; i < to; i++) {
                char c = str.charAt(i);
                if (c == '%' || c == '+' || (c >= 0x80 && c <= 0xff)) {
                    return true;
                }
            }
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+' || (c >= 0x80 && c <= 0xff)) {
                return true;
            }
        }
        return false;
    }

    /** {@code s[from, to)} decoded; null when an escape is malformed. */
    static @Nullable String decode(CharSequence s, int from, int to) {
        return needsDecoding(s, from, to) ? decode(s, from, to, true) : Text.slice(s, from, to);
    }

    /** {@link #decode} for text already known to hold an escape. */
    static @Nullable String decodeEscaped(CharSequence s, int from, int to) {
        return decode(s, from, to, true);
    }

    private static @Nullable String decode(CharSequence s, int from, int to, boolean plusIsSpace) {
        byte[] out = new byte[to - from];
        int n = 0;
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '+' && plusIsSpace) {
                out[n++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= to) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                int b = (hi << 4) | lo;
                ascii &= b < 0x80;
                out[n++] = (byte) b;
                i += 2;
            } else {
                ascii &= c < 0x80;
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** Like {@link #decode} but without '+' as space: for URL paths. */
    public static @Nullable String decodePath(CharSequence s, int from, int to) {
        return Text.indexOf(s, '%', from, to) < 0 ? Text.slice(s, from, to) : decode(s, from, to, false);
    }
}
