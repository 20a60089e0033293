package io.sekisho.policy.aws.request;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fields of an S3 browser POST form ({@code multipart/form-data}, aws-wire-facts §1.7), read
 * only up to the file part: S3 ignores fields after the file, so everything that names the
 * signer precedes the file bytes and the rest of the body can stream. Field names are compared
 * ignoring case, as S3 does. The form is parsed in place on its bytes; only the values that
 * matter are copied out.
 */
public final class PostForm {
    private static final int MAX_FIELDS = 64;
    private static final long NOT_FOUND = -1L;
    private static final byte[] COMMON_DISPOSITION =
            "Content-Disposition: form-data; name=\"".getBytes(StandardCharsets.ISO_8859_1);

    /** x-amz-credential value (a SigV4 scope), or null. */
    public @Nullable String credential;
    /** AWSAccessKeyId value (SigV2), or null. */
    public @Nullable String accessKeyId;
    public @Nullable String algorithm;
    public @Nullable String regionSet;
    public boolean sessionToken;
    public boolean policy;
    /** An {@code acl} field that makes the uploaded object public (public-read…). */
    public boolean publicAcl;
    /** A credential field appeared twice with different values. */
    public boolean conflict;
    /** The file part's headers were reached: every field that matters was seen. */
    public boolean fileReached;
    public boolean malformed;

    private final byte[] b;
    /** The part being read: its {@code name} parameter's range, and whether it names a file. */
    private long partName;
    private boolean partHasFilename;

    private PostForm(byte[] b) {
        this.b = b;
    }

    /**
     * Parses {@code body} (possibly only a prefix of the real body) with the boundary from the
     * Content-Type; never throws.
     */
    public static PostForm parse(CharSequence body, AwsHeaders h) {
        return parse(body, Text.headerParameter(h.contentType, "boundary"));
    }

    public static PostForm parse(CharSequence body, @Nullable String boundary) {
        Text.Bytes bytes = Text.bytes(body);
        PostForm f = new PostForm(bytes.b);
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            f.malformed = true; // RFC 2046 §5.1.1: 1 to 70 characters
            return f;
        }
        f.parse(bytes.offset, bytes.offset + bytes.length, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
        return f;
    }

    /** {@code next} is CRLF + "--" + boundary; the first delimiter may open the body without the CRLF. */
    private void parse(int start, int n, byte[] next) {
        Delimiter delimiter = new Delimiter(next);
        int first = delimiter.indexIn(b, start, n, false);
        if (first < 0) {
            return; // not even the first delimiter: incomplete or not a form
        }
        int pos = first + next.length - 2;
        for (int fields = 0; fields < MAX_FIELDS; fields++) {
            if (pos + 2 > n || (b[pos] == '-' && b[pos + 1] == '-')) {
                return; // incomplete, or the close delimiter of a form without a file
            }
            int delimiterEnd = lineEnd(pos, n); // the delimiter line may carry transport padding
            int headersEnd = delimiterEnd < 0 ? -1 : partHeaders(delimiterEnd + 2, n);
            if (headersEnd < 0) {
                return; // the part's headers are incomplete
            }
            if (partName == NOT_FOUND) {
                malformed = true;
                return;
            }
            if (partHasFilename || equalsLower(from(partName), to(partName), AwsWireFacts.POST_FORM_FILE_FIELD)) {
                fileReached = true;
                return;
            }
            int valueStart = headersEnd + 2;
            int valueEnd = delimiter.indexIn(b, valueStart, n, true);
            if (valueEnd < 0) {
                return;
            }
            field(from(partName), to(partName), valueStart, valueEnd);
            pos = valueEnd + next.length;
        }
        malformed = true; // more fields than any real form has
    }

    /**
     * Reads one part's header lines, each once, from {@code from}: sets {@link #partName} and
     * {@link #partHasFilename} from the first Content-Disposition. Returns the index of the
     * empty line that ends the headers, or -1 when they are incomplete.
     */
    private int partHeaders(int from, int n) {
        partName = NOT_FOUND;
        partHasFilename = false;
        boolean dispositionSeen = false;
        int line = from;
        while (true) {
            int commonEnd = dispositionSeen ? -1 : commonDisposition(line, n);
            if (commonEnd >= 0) {
                dispositionSeen = true;
                line = commonEnd + 2;
                continue;
            }
            int eol = lineEnd(line, n);
            if (eol < 0) {
                return -1;
            }
            if (eol == line) {
                return line;
            }
            int colon = indexOfByte(b, (byte) ':', line, eol);
            if (!dispositionSeen && colon > 0 && equalsLower(line, trimEnd(line, colon), "content-disposition")) {
                dispositionSeen = true; // only the first Content-Disposition counts
                int value = skipSpaces(colon + 1, eol);
                disposition(value, trimEnd(value, eol));
            }
            line = eol + 2;
        }
    }

    /**
     * The line every client we know writes for a field, {@code Content-Disposition: form-data;
     * name="x"} with nothing after the closing quote, read without the general parse: sets
     * {@link #partName} and returns the index of the line's CRLF, or -1 when the line at
     * {@code line} has any other shape (the general parse then reads it, with the same result).
     */
    private int commonDisposition(int line, int n) {
        int name = line + COMMON_DISPOSITION.length;
        if (name > n || !Arrays.equals(b, line, name, COMMON_DISPOSITION, 0, COMMON_DISPOSITION.length)) {
            return -1;
        }
        int i = name;
        while (i < n && b[i] != '"' && b[i] != ';' && b[i] != '\r') {
            i++;
        }
        if (i + 2 >= n || b[i] != '"' || b[i + 1] != '\r' || b[i + 2] != '\n') {
            return -1;
        }
        partName = range(name, i);
        return i + 1;
    }

    /** The first {@code name} and any {@code filename} in {@code form-data; name="x"; filename="y"}, in one pass. */
    private void disposition(int from, int to) {
        for (int i = from; i < to; ) {
            int semi = indexOfByte(b, (byte) ';', i, to);
            int end = semi < 0 ? to : semi;
            int key = skipSpaces(i, end);
            int eq = indexOfByte(b, (byte) '=', key, end);
            if (eq > 0) {
                int keyEnd = trimEnd(key, eq);
                if (partName == NOT_FOUND && equalsLower(key, keyEnd, "name")) {
                    partName = unquoted(skipSpaces(eq + 1, end), end);
                } else if (equalsLower(key, keyEnd, "filename")) {
                    partHasFilename = true;
                }
            }
            i = end + 1;
        }
    }

    /** Field names are matched ignoring case, as S3 does; the names below are lower case. */
    private void field(int nameFrom, int nameTo, int valueFrom, int valueTo) {
        if (equalsLower(nameFrom, nameTo, "x-amz-credential")) {
            credential = same(credential, text(valueFrom, valueTo));
        } else if (equalsLower(nameFrom, nameTo, "awsaccesskeyid")) {
            accessKeyId = same(accessKeyId, text(valueFrom, valueTo));
        } else if (equalsLower(nameFrom, nameTo, "x-amz-algorithm")) {
            algorithm = text(valueFrom, valueTo);
        } else if (equalsLower(nameFrom, nameTo, "x-amz-region-set")) {
            regionSet = text(valueFrom, valueTo);
        } else if (equalsLower(nameFrom, nameTo, "x-amz-security-token")
                || equalsLower(nameFrom, nameTo, "x-amz-s3session-token")) {
            sessionToken = true;
        } else if (equalsLower(nameFrom, nameTo, "policy")) {
            policy = true;
        } else if (equalsLower(nameFrom, nameTo, "acl")) {
            String acl = text(valueFrom, valueTo).strip().toLowerCase(java.util.Locale.ROOT);
            publicAcl |= AwsWireFacts.PUBLIC_CANNED_ACLS.contains(acl);
        }
    }

    private String same(@Nullable String existing, String value) {
        if (existing != null && !existing.equals(value)) {
            conflict = true;
        }
        return existing == null ? value : existing;
    }

    private String text(int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** A parameter value without its surrounding quotes, as a range. */
    private long unquoted(int from, int to) {
        int end = trimEnd(from, to);
        if (end - from >= 2 && b[from] == '"' && b[end - 1] == '"') {
            return range(from + 1, end - 1);
        }
        return range(from, end);
    }

    /** Index of the next CRLF in {@code b[from, to)}, or -1. */
    private int lineEnd(int from, int to) {
        for (int i = indexOfByte(b, (byte) '\r', from, to); i >= 0; i = indexOfByte(b, (byte) '\r', i + 1, to)) {
            if (i + 1 < to && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The delimiter CRLF "--" boundary, found with Horspool's algorithm: the searches for it are
     * most of the form parse, and the byte under the end of the window decides how far the window
     * may move (the whole length for a byte the delimiter does not contain, which base64 and text
     * values mostly are).
     */
    static final class Delimiter {
        /** CRLF "--" boundary. */
        private final byte[] bytes;
        /** For each byte value, how far a window of "--" boundary ending on it may move. */
        private final byte[] shift = new byte[256];

        Delimiter(byte[] crlfDashesBoundary) {
            this.bytes = crlfDashesBoundary;
            int m = bytes.length - 2; // at most 72: a boundary has at most 70 bytes
            Arrays.fill(shift, (byte) m);
            for (int j = 0; j < m - 1; j++) {
                shift[bytes[2 + j] & 0xff] = (byte) (m - 1 - j);
            }
        }

        /**
         * Index of the first delimiter in {@code hay[from, to)}, or -1. With {@code crlf} the
         * delimiter starts with its CRLF; without, it is "--" boundary alone (how the body's
         * first delimiter may appear) and the index is that of the dashes.
         */
        int indexIn(byte[] hay, int from, int to, boolean crlf) {
            int m = bytes.length - 2;
            byte last = bytes[bytes.length - 1];
            for (int i = crlf ? from + 2 : from; i <= to - m; i += shift[hay[i + m - 1] & 0xff]) {
                if (hay[i + m - 1] == last && Arrays.equals(hay, i, i + m, bytes, 2, bytes.length)) {
                    if (!crlf) {
                        return i;
                    }
                    if (hay[i - 2] == '\r' && hay[i - 1] == '\n') {
                        return i - 2;
                    }
                }
            }
            return -1;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * Index of {@code c} in {@code hay[from, to)}, or -1: a long at a time, XOR-ing with
     * {@code c} in every byte and testing for a zero byte ((x - 0x01…) &amp; ~x &amp; 0x80…, whose
     * lowest set bit always marks the first zero byte, so little-endian order gives the index).
     */
    public static int indexOfByte(byte[] hay, byte c, int from, int to) {
        long pattern = (c & 0xffL) * ONES;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(hay, i) ^ pattern;
            long zero = (x - ONES) & ~x & HIGHS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (hay[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code b[from, to)} equals {@code lower}, a lower-case ASCII name, ignoring case. */
    private boolean equalsLower(int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int skipSpaces(int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private int trimEnd(int from, int to) {
        int i = to;
        while (i > from && (b[i - 1] == ' ' || b[i - 1] == '\t')) {
            i--;
        }
        return i;
    }

    private static long range(int from, int to) {
        return ((long) from << 32) | to;
    }

    private static int from(long range) {
        return (int) (range >>> 32);
    }

    private static int to(long range) {
        return (int) range;
    }
}
