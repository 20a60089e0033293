package io.sekisho.policy.aws;

/**
 * The fields of an S3 browser POST form ({@code multipart/form-data}, aws-wire-facts §1.7), read
 * only up to the file part: S3 ignores fields after the file, so everything that names the
 * signer precedes the file bytes and the rest of the body can stream. Field names are compared
 * ignoring case, as S3 does.
 */
final class PostForm {
    private static final int MAX_FIELDS = 64;

    /** x-amz-credential value (a SigV4 scope), or null. */
    String credential;
    /** AWSAccessKeyId value (SigV2), or null. */
    String accessKeyId;
    String algorithm;
    String regionSet;
    boolean sessionToken;
    boolean policy;
    /** A credential field appeared twice with different values. */
    boolean conflict;
    /** The file part's headers were reached: every field that matters was seen. */
    boolean fileReached;
    boolean malformed;

    private PostForm() {
    }

    /**
     * Parses {@code body} (possibly only a prefix of the real body) with the boundary from the
     * Content-Type; never throws.
     */
    static PostForm parse(CharSequence body, String boundary) {
        PostForm f = new PostForm();
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            f.malformed = true; // RFC 2046 §5.1.1: 1 to 70 characters
            return f;
        }
        String delimiter = "--" + boundary;
        String nextDelimiter = "\r\n" + delimiter;
        int n = body.length();
        int first = indexOf(body, delimiter, 0, n);
        if (first < 0) {
            return f; // not even the first delimiter: incomplete or not a form
        }
        int pos = first + delimiter.length();
        for (int fields = 0; fields < MAX_FIELDS; fields++) {
            if (pos + 2 > n) {
                return f;
            }
            if (body.charAt(pos) == '-' && body.charAt(pos + 1) == '-') {
                return f; // close delimiter: the form had no file part
            }
            int lineEnd = indexOf(body, "\r\n", pos, n);
            if (lineEnd < 0) {
                return f;
            }
            int headersEnd = indexOf(body, "\r\n\r\n", lineEnd, n);
            if (headersEnd < 0) {
                return f;
            }
            String disposition = header(body, lineEnd + 2, headersEnd + 2, "content-disposition");
            String name = Text.headerParameter(disposition, "name");
            if (name == null) {
                f.malformed = true;
                return f;
            }
            if (name.equalsIgnoreCase(AwsWireFacts.POST_FORM_FILE_FIELD)
                    || Text.headerParameter(disposition, "filename") != null) {
                f.fileReached = true;
                return f;
            }
            int valueStart = headersEnd + 4;
            int valueEnd = indexOf(body, nextDelimiter, valueStart, n);
            if (valueEnd < 0) {
                return f;
            }
            f.field(name, Text.slice(body, valueStart, valueEnd));
            pos = valueEnd + 2 + delimiter.length();
        }
        f.malformed = true; // more fields than any real form has
        return f;
    }

    private void field(String name, String value) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "x-amz-credential":
                credential = same(credential, value);
                break;
            case "awsaccesskeyid":
                accessKeyId = same(accessKeyId, value);
                break;
            case "x-amz-algorithm":
                algorithm = value;
                break;
            case "x-amz-region-set":
                regionSet = value;
                break;
            case "x-amz-security-token":
            case "x-amz-s3session-token":
                sessionToken = true;
                break;
            case "policy":
                policy = true;
                break;
            default:
                break;
        }
    }

    private String same(String existing, String value) {
        if (existing != null && !existing.equals(value)) {
            conflict = true;
        }
        return existing == null ? value : existing;
    }

    /** The value of header {@code name} among the part headers in {@code s[from, to)}, or null. */
    private static String header(CharSequence s, int from, int to, String name) {
        int i = from;
        while (i < to) {
            int eol = indexOf(s, "\r\n", i, to);
            int end = eol < 0 ? to : eol;
            int colon = Text.indexOf(s, ':', i, end);
            if (colon > 0 && Text.equalsIgnoreCase(s, i, Text.trimEnd(s, i, colon), name)) {
                int vs = Text.skipSpaces(s, colon + 1, end);
                return Text.slice(s, vs, Text.trimEnd(s, vs, end));
            }
            i = end + 2;
        }
        return null;
    }

    private static int indexOf(CharSequence s, String needle, int from, int to) {
        int last = to - needle.length();
        char first = needle.charAt(0);
        for (int i = from; i <= last; i++) {
            if (s.charAt(i) == first && Text.equals(s, i, i + needle.length(), needle)) {
                return i;
            }
        }
        return -1;
    }
}
