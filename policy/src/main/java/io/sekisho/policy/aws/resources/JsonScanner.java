package io.sekisho.policy.aws.resources;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;

/**
 * Reads a JSON request body (JSON and REST-JSON protocols, S3 bucket policies) for resource
 * accounts without building a tree: every string outside the caller's data is searched for
 * ARNs; strings and numbers under account-naming keys ({@link AwsWireFacts#ACCOUNT_FIELDS}) that
 * are twelve digits are accounts; {@code QueueUrl} values give their owner; a string that is
 * itself a JSON document (a policy passed as a string) is read the same way, a bounded number
 * of levels deep. Values under data keys ({@link AwsWireFacts#PAYLOAD_FIELDS}: item values,
 * message bodies, log events) are skipped: a twelve-digit number or an ARN in data is not
 * evidence. String escapes are decoded first, so <code>"&#92;u0061rn:…"</code> is still an ARN.
 */
final class JsonScanner {
    private static final int F_ACCOUNT = FieldKinds.ACCOUNT;
    private static final int F_SKIP = FieldKinds.SKIP;
    private static final int F_PUBLIC = FieldKinds.PUBLIC;
    private static final int F_QUEUE = FieldKinds.QUEUE;

    private final CharSequence s;
    private final int end;
    private final AccountSet out;
    private final int level;
    private int pos;
    private boolean malformed;

    private JsonScanner(CharSequence s, int from, int to, AccountSet out, int level) {
        this.s = s;
        this.pos = from;
        this.end = to;
        this.out = out;
        this.level = level;
    }

    /** Scans {@code s[from, to)}; false when it is not one JSON value (an empty body is fine). */
    static boolean scan(CharSequence s, int from, int to, AccountSet out) {
        return scan(s, from, to, out, 0);
    }

    private static boolean scan(CharSequence s, int from, int to, AccountSet out, int level) {
        JsonScanner j = new JsonScanner(s, from, to, out, level);
        j.skipSpaces();
        if (j.pos == j.end) {
            return true;
        }
        j.value(0, 0);
        j.skipSpaces();
        return !j.malformed && j.pos == j.end;
    }

    private void value(int flags, int depth) {
        if (malformed || pos >= end || depth > AwsWireFacts.MAX_JSON_DEPTH) {
            malformed = true;
            return;
        }
        char c = s.charAt(pos);
        if (c == '{') {
            object(flags, depth);
        } else if (c == '[') {
            array(flags, depth);
        } else if (c == '"') {
            string(flags);
        } else {
            literal(flags);
        }
    }

    private void object(int flags, int depth) {
        pos++;
        skipSpaces();
        if (pos < end && s.charAt(pos) == '}') {
            pos++;
            return;
        }
        while (!malformed) {
            if (pos >= end || s.charAt(pos) != '"') {
                malformed = true;
                return;
            }
            int childFlags = keyFlags(flags);
            skipSpaces();
            if (pos >= end || s.charAt(pos) != ':') {
                malformed = true;
                return;
            }
            pos++;
            skipSpaces();
            value(childFlags, depth + 1);
            skipSpaces();
            if (pos < end && s.charAt(pos) == ',') {
                pos++;
                skipSpaces();
            } else if (pos < end && s.charAt(pos) == '}') {
                pos++;
                return;
            } else {
                malformed = true;
            }
        }
    }

    private void array(int flags, int depth) {
        pos++;
        skipSpaces();
        if (pos < end && s.charAt(pos) == ']') {
            pos++;
            return;
        }
        while (!malformed) {
            value(flags, depth + 1);
            skipSpaces();
            if (pos < end && s.charAt(pos) == ',') {
                pos++;
                skipSpaces();
            } else if (pos < end && s.charAt(pos) == ']') {
                pos++;
                return;
            } else {
                malformed = true;
            }
        }
    }

    /** Reads a key and returns the flags for its value; data keys make the whole value skipped. */
    private int keyFlags(int parentFlags) {
        int start = pos + 1;
        int close = stringEnd();
        if (close < 0) {
            return 0;
        }
        CharSequence key = s;
        int from = start;
        int to = close;
        if (Text.indexOf(s, '\\', start, close) >= 0) {
            String decoded = unescape(start, close);
            if (decoded == null) {
                return 0;
            }
            key = decoded;
            from = 0;
            to = decoded.length();
        }
        if ((parentFlags & F_SKIP) != 0) {
            return F_SKIP;
        }
        int kinds = FieldKinds.of(key, from, to);
        return (kinds & F_SKIP) != 0 ? F_SKIP : kinds;
    }

    private void string(int flags) {
        int start = pos + 1;
        int close = stringEnd();
        if (close < 0 || (flags & F_SKIP) != 0) {
            return;
        }
        if (Text.indexOf(s, '\\', start, close) < 0) {
            text(s, start, close, flags);
        } else {
            String decoded = unescape(start, close);
            if (decoded != null) {
                text(decoded, 0, decoded.length(), flags);
            }
        }
    }

    private void text(CharSequence t, int from, int to, int flags) {
        ArnScanner.scan(t, from, to, out);
        if ((flags & F_ACCOUNT) != 0) {
            out.addIfAccount(t, from, to);
        }
        if ((flags & F_PUBLIC) != 0 && Text.equalsIgnoreCase(t, from, to, AwsWireFacts.PUBLIC_SHARE_VALUE)) {
            out.add(AccountSet.EVERYONE);
        }
        if ((flags & F_QUEUE) != 0) {
            ResourceAccountScanner.queueUrl(t, from, to, out);
        }
        int first = Text.skipSpaces(t, from, to);
        if (level < AwsWireFacts.MAX_EMBEDDED_DOCUMENTS && first < to
                && (t.charAt(first) == '{' || t.charAt(first) == '[')) {
            // A document inside a string (a policy): read it too; if it is not JSON, it is just text.
            scan(t, first, to, out, level + 1);
        }
    }

    private void literal(int flags) {
        int start = pos;
        while (pos < end) {
            char c = s.charAt(pos);
            if (c == ',' || c == '}' || c == ']' || Text.isSpace(c)) {
                break;
            }
            if (!(Text.isDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
                    || (c >= 'a' && c <= 'z'))) {
                malformed = true;
                return;
            }
            pos++;
        }
        if (pos == start) {
            malformed = true;
            return;
        }
        if (Text.isDigit(s.charAt(start))) {
            if ((flags & (F_ACCOUNT | F_SKIP)) == F_ACCOUNT) {
                out.addIfAccount(s, start, pos);
            }
        } else if (!(Text.equals(s, start, pos, "true") || Text.equals(s, start, pos, "false")
                || Text.equals(s, start, pos, "null") || s.charAt(start) == '-')) {
            malformed = true;
        }
    }

    /** Moves past the string starting at {@code pos}; returns the index of its closing quote. */
    private int stringEnd() {
        int i = pos + 1;
        while (i < end) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                pos = i + 1;
                return i;
            } else {
                i++;
            }
        }
        malformed = true;
        pos = end;
        return -1;
    }

    /** Decodes the escapes of {@code s[from, to)}; null (and malformed) for a bad escape. */
    private @Nullable String unescape(int from, int to) {
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = ++i < to ? s.charAt(i) : 0;
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    int cp = i + 4 < to ? hex4(i + 1) : -1;
                    if (cp < 0) {
                        malformed = true;
                        return null;
                    }
                    b.append((char) cp);
                    i += 4;
                }
                default -> {
                    malformed = true;
                    return null;
                }
            }
        }
        return b.toString();
    }

    private int hex4(int from) {
        int v = 0;
        for (int i = from; i < from + 4; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private void skipSpaces() {
        pos = Text.skipSpaces(s, pos, end);
    }
}
