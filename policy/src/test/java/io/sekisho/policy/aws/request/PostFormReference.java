package io.sekisho.policy.aws.request;

import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The S3 POST form parser as it was before its one-pass rewrite (commit b00681c), kept as the
 * reference {@link PostFormEquivalenceTest} holds {@link PostForm} to; its byte search is still
 * {@link PostForm#indexOfByte}. Test code only.
 */
final class PostFormReference {
    private static final int MAX_FIELDS = 64;
    private static final long NOT_FOUND = -1L;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

    /** x-amz-credential value (a SigV4 scope), or null. */
    String credential;
    /** AWSAccessKeyId value (SigV2), or null. */
    String accessKeyId;
    String algorithm;
    String regionSet;
    boolean sessionToken;
    boolean policy;
    /** An {@code acl} field that makes the uploaded object public (public-read…). */
    boolean publicAcl;
    /** A credential field appeared twice with different values. */
    boolean conflict;
    /** The file part's headers were reached: every field that matters was seen. */
    boolean fileReached;
    boolean malformed;

    private final byte[] b;

    private PostFormReference(byte[] b) {
        this.b = b;
    }

    /**
     * Parses {@code body} (possibly only a prefix of the real body) with the boundary from the
     * Content-Type; never throws.
     */
    static PostFormReference parse(CharSequence body, AwsHeaders h) {
        return parse(body, Text.headerParameter(h.contentType, "boundary"));
    }

    static PostFormReference parse(CharSequence body, String boundary) {
        Text.Bytes bytes = Text.bytes(body);
        PostFormReference f = new PostFormReference(bytes.b);
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            f.malformed = true; // RFC 2046 §5.1.1: 1 to 70 characters
            return f;
        }
        f.parse(bytes.offset, bytes.offset + bytes.length, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
        return f;
    }

    /** {@code next} is CRLF + "--" + boundary; the first delimiter may open the body without the CRLF. */
    private void parse(int start, int n, byte[] next) {
        int first = indexOf(next, 2, start, n);
        if (first < 0) {
            return; // not even the first delimiter: incomplete or not a form
        }
        int pos = first + next.length - 2;
        for (int fields = 0; fields < MAX_FIELDS; fields++) {
            if (pos + 2 > n || (b[pos] == '-' && b[pos + 1] == '-')) {
                return; // incomplete, or the close delimiter of a form without a file
            }
            int lineEnd = indexOf(CRLF, 0, pos, n);
            int headersEnd = lineEnd < 0 ? -1 : indexOf(CRLF_CRLF, 0, lineEnd, n);
            if (headersEnd < 0) {
                return;
            }
            long disposition = header(lineEnd + 2, headersEnd + 2, "content-disposition");
            long name = disposition == NOT_FOUND ? NOT_FOUND : parameter(from(disposition), to(disposition), "name");
            if (name == NOT_FOUND) {
                malformed = true;
                return;
            }
            if (equalsIgnoreCase(from(name), to(name), AwsWireFacts.POST_FORM_FILE_FIELD)
                    || parameter(from(disposition), to(disposition), "filename") != NOT_FOUND) {
                fileReached = true;
                return;
            }
            int valueStart = headersEnd + 4;
            int valueEnd = indexOf(next, 0, valueStart, n);
            if (valueEnd < 0) {
                return;
            }
            field(from(name), to(name), valueStart, valueEnd);
            pos = valueEnd + next.length;
        }
        malformed = true; // more fields than any real form has
    }

    private void field(int nameFrom, int nameTo, int valueFrom, int valueTo) {
        if (equalsIgnoreCase(nameFrom, nameTo, "x-amz-credential")) {
            credential = same(credential, text(valueFrom, valueTo));
        } else if (equalsIgnoreCase(nameFrom, nameTo, "AWSAccessKeyId")) {
            accessKeyId = same(accessKeyId, text(valueFrom, valueTo));
        } else if (equalsIgnoreCase(nameFrom, nameTo, "x-amz-algorithm")) {
            algorithm = text(valueFrom, valueTo);
        } else if (equalsIgnoreCase(nameFrom, nameTo, "x-amz-region-set")) {
            regionSet = text(valueFrom, valueTo);
        } else if (equalsIgnoreCase(nameFrom, nameTo, "x-amz-security-token")
                || equalsIgnoreCase(nameFrom, nameTo, "x-amz-s3session-token")) {
            sessionToken = true;
        } else if (equalsIgnoreCase(nameFrom, nameTo, "policy")) {
            policy = true;
        } else if (equalsIgnoreCase(nameFrom, nameTo, "acl")) {
            String acl = text(valueFrom, valueTo).strip().toLowerCase(java.util.Locale.ROOT);
            publicAcl |= AwsWireFacts.PUBLIC_CANNED_ACLS.contains(acl);
        }
    }

    private String same(String existing, String value) {
        if (existing != null && !existing.equals(value)) {
            conflict = true;
        }
        return existing == null ? value : existing;
    }

    private String text(int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The value range of header {@code name} among the part headers in {@code [from, to)}. */
    private long header(int from, int to, String name) {
        int i = from;
        while (i < to) {
            int eol = indexOf(CRLF, 0, i, to);
            int end = eol < 0 ? to : eol;
            int colon = indexOf((byte) ':', i, end);
            if (colon > 0 && equalsIgnoreCase(i, trimEnd(i, colon), name)) {
                int vs = skipSpaces(colon + 1, end);
                return range(vs, trimEnd(vs, end));
            }
            i = end + 2;
        }
        return NOT_FOUND;
    }

    /** The value range of parameter {@code name} in {@code form-data; name="x"; filename="y"}. */
    private long parameter(int from, int to, String name) {
        int i = from;
        while (i < to) {
            int semi = indexOf((byte) ';', i, to);
            int end = semi < 0 ? to : semi;
            int start = skipSpaces(i, end);
            int eq = indexOf((byte) '=', start, end);
            if (eq > 0 && equalsIgnoreCase(start, trimEnd(start, eq), name)) {
                int vs = skipSpaces(eq + 1, end);
                int ve = trimEnd(vs, end);
                if (ve - vs >= 2 && b[vs] == '"' && b[ve - 1] == '"') {
                    return range(vs + 1, ve - 1);
                }
                return range(vs, ve);
            }
            i = end + 1;
        }
        return NOT_FOUND;
    }

    /** Index of {@code needle[skip..]} in {@code b[from, to)}, or -1. */
    private int indexOf(byte[] needle, int skip, int from, int to) {
        return indexOf(b, needle, skip, from, to);
    }

    /**
     * Index of {@code needle[skip..]} in {@code hay[from, to)}, or -1. The searches are most of
     * the form parse, so candidates are found by their first byte eight bytes at a time.
     */
    static int indexOf(byte[] hay, byte[] needle, int skip, int from, int to) {
        int len = needle.length - skip;
        int last = to - len;
        for (int i = from; i <= last; i++) {
            i = PostForm.indexOfByte(hay, needle[skip], i, last + 1); // the same word-at-a-time search
            if (i < 0) {
                return -1;
            }
            if (matches(hay, needle, skip, i, len)) {
                return i;
            }
        }
        return -1;
    }

    /** The JDK's range compare is vectorised: a delimiter is CRLF, two dashes and up to 70 more bytes. */
    private static boolean matches(byte[] hay, byte[] needle, int skip, int at, int len) {
        return Arrays.equals(hay, at, at + len, needle, skip, skip + len);
    }

    private int indexOf(byte c, int from, int to) {
        return PostForm.indexOfByte(b, c, from, to);
    }

    private boolean equalsIgnoreCase(int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Text.lower((char) (b[from + i] & 0xff)) != Text.lower(s.charAt(i))) {
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
