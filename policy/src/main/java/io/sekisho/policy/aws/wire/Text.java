package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Nullable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Small text helpers that work on slices of a {@link CharSequence}, so that scanning headers,
 * queries and bodies does not cut a substring for every comparison.
 */
public final class Text {
    private Text() {
    }

    /** Bodies up to this size are copied into a per-thread buffer before they are scanned. */
    private static final int SCRATCH_BYTES = 64 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

    /**
     * A body seen as ISO-8859-1 characters (ASCII structure stays exact). A body that fits is
     * bulk-copied into a buffer owned by the calling thread: one copy is far cheaper than reading
     * a read-only or direct ByteBuffer byte by byte, and reusing the buffer keeps the hot path
     * from allocating. The view is valid until the next call on the same thread; nothing keeps
     * it beyond one decision (every value taken from it is copied into a String).
     */
    public static CharSequence latin1(ByteBuffer body) {
        int n = body.remaining();
        if (n <= SCRATCH_BYTES) {
            byte[] b = SCRATCH.get();
            body.get(body.position(), b, 0, n);
            return new Bytes(b, 0, n);
        }
        return new Latin1(body);
    }

    /**
     * The bytes behind {@code s} as {@code {array, offset, length}} views for parsers that work on
     * bytes (the POST form); a text that is not already bytes is copied.
     */
    public static Bytes bytes(CharSequence s) {
        if (s instanceof Bytes b) {
            return b;
        }
        byte[] copy = new byte[s.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = (byte) s.charAt(i);
        }
        return new Bytes(copy, 0, copy.length);
    }

    /** ISO-8859-1 characters over a byte array slice. */
    public static final class Bytes implements CharSequence {
        public final byte[] b;
        public final int offset;
        public final int length;

        public Bytes(byte[] b, int offset, int length) {
            this.b = b;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException(index);
            }
            return (char) (b[offset + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Bytes(b, offset + start, end - start);
        }

        @Override
        public String toString() {
            return slice(0, length);
        }

        public String slice(int from, int to) {
            return new String(b, offset + from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    private static final class Latin1 implements CharSequence {
        private final ByteBuffer buf;
        private final int offset;
        private final int length;

        Latin1(ByteBuffer buf) {
            this(buf, buf.position(), buf.remaining());
        }

        private Latin1(ByteBuffer buf, int offset, int length) {
            this.buf = buf;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return (char) (buf.get(offset + index) & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Latin1(buf, offset + start, end - start);
        }

        @Override
        public String toString() {
            return slice(0, length);
        }

        String slice(int from, int to) {
            byte[] b = new byte[to - from];
            buf.get(offset + from, b, 0, b.length);
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code s[from, to)} as a String. */
    public static String slice(CharSequence s, int from, int to) {
        if (s instanceof String str) {
            return str.substring(from, to);
        }
        if (s instanceof Bytes b) {
            return b.slice(from, to);
        }
        if (s instanceof Latin1 l) {
            return l.slice(from, to);
        }
        char[] c = new char[to - from];
        for (int i = from; i < to; i++) {
            c[i - from] = s.charAt(i);
        }
        return new String(c);
    }

    public static boolean startsWithIgnoreCase(CharSequence s, int from, int to, String prefix) {
        return to - from >= prefix.length() && equalsIgnoreCase(s, from, from + prefix.length(), prefix);
    }

    /** True when {@code s[from, to)} equals {@code other}, ignoring ASCII case. */
    public static boolean equalsIgnoreCase(CharSequence s, int from, int to, String other) {
        if (to - from != other.length()) {
            return false;
        }
        for (int i = 0; i < other.length(); i++) {
            if (lower(s.charAt(from + i)) != lower(other.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static boolean equals(CharSequence s, int from, int to, String other) {
        if (to - from != other.length()) {
            return false;
        }
        for (int i = 0; i < other.length(); i++) {
            if (s.charAt(from + i) != other.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public static int indexOf(CharSequence s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** Index of {@code needle} in {@code s[from, to)} ignoring ASCII case, or -1. */
    public static int indexOfIgnoreCase(CharSequence s, String needle, int from, int to) {
        int last = to - needle.length();
        for (int i = from; i <= last; i++) {
            if (equalsIgnoreCase(s, i, i + needle.length(), needle)) {
                return i;
            }
        }
        return -1;
    }

    public static int skipSpaces(CharSequence s, int from, int to) {
        int i = from;
        while (i < to && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    public static int trimEnd(CharSequence s, int from, int to) {
        int i = to;
        while (i > from && isSpace(s.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    public static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    public static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    public static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The value of a header parameter such as {@code boundary=} in a Content-Type, or null. */
    public static @Nullable String headerParameter(@Nullable String header, String name) {
        if (header == null) {
            return null;
        }
        int i = 0;
        int n = header.length();
        while (i < n) {
            int semi = header.indexOf(';', i); // String's own search: this runs per S3 POST form
            int end = semi < 0 ? n : semi;
            int start = skipSpaces(header, i, end);
            int eq = header.indexOf('=', start);
            eq = eq < end ? eq : -1;
            if (eq > 0 && equalsIgnoreCase(header, start, trimEnd(header, start, eq), name)) {
                int vs = skipSpaces(header, eq + 1, end);
                int ve = trimEnd(header, vs, end);
                if (ve - vs >= 2 && header.charAt(vs) == '"' && header.charAt(ve - 1) == '"') {
                    return header.substring(vs + 1, ve - 1);
                }
                return header.substring(vs, ve);
            }
            i = end + 1;
        }
        return null;
    }
}
