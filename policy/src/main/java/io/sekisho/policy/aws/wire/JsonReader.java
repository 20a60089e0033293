package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Nullable;

/**
 * Sekisho's one JSON reader (RFC 8259): a pull reader over a span of text, one token at a time,
 * that allocates nothing per token. The JDK has no JSON parser and {@code policy} is JDK only.
 * Its two users read through it: {@code resources/JsonScanner} streams request bodies for
 * accounts without building anything, and {@link JsonDocument} builds the small trees sign-in
 * traffic carries (the federation {@code Session}, OIDC bodies, token responses).
 *
 * <p>The structure (braces, brackets, commas, colons, one top-level value) is checked the same
 * way in both modes. A string's escapes are checked when it is {@link #decoded}, so a reader
 * that skips a string (data the scanner does not read) never pays for it. The modes differ only
 * in the words between the structure:
 * <ul>
 * <li>{@link #strict}: numbers follow the RFC grammar, {@code true}/{@code false}/{@code null}
 *     exactly, and a raw control character inside a string is an error;
 * <li>{@link #lenient}: a word is any run of digits, lower-case letters, {@code E}, {@code .},
 *     {@code +} and {@code -} (a word that starts with a digit or '-' is a number, else it must be
 *     {@code true}/{@code false}/{@code null}); raw control characters pass. The service refuses
 *     what this lets through, and what it reads is still scanned.
 * </ul>
 */
public final class JsonReader {
    /** What {@link #next} read. */
    public enum Token { BEGIN_OBJECT, END_OBJECT, BEGIN_ARRAY, END_ARRAY, NAME, STRING, NUMBER, TRUE, FALSE, NULL,
        /** The one top-level value ended and only whitespace follows. */
        END,
        /** Not JSON; every later call answers the same. */
        MALFORMED }

    /** The deepest nesting of objects and arrays the reader follows; its users set lower bounds. */
    public static final int MAX_NESTING = 128;

    private static final String[] KEYWORDS = {"true", "false", "null"};

    private final CharSequence s;
    private final int end;
    private final boolean strict;
    private int pos;
    /** Bit d of the pair: the container at depth d is an object (else an array). */
    private long objects0;
    private long objects1;
    private int depth;
    /** The innermost open container has no element yet. */
    private boolean first;
    /** A member name was read: its value comes next. */
    private boolean afterName;
    /** The top-level value is complete. */
    private boolean done;
    private boolean malformed;
    private int from;
    private int to;
    private boolean escaped;

    private JsonReader(CharSequence s, int from, int to, boolean strict) {
        this.s = s;
        this.pos = from;
        this.end = to;
        this.strict = strict;
    }

    /** A reader of the whole text, by the RFC's grammar. */
    public static JsonReader strict(CharSequence text) {
        return new JsonReader(text, 0, text.length(), true);
    }

    /** A reader of {@code s[from, to)} that lets AWS-refused words through (see above). */
    public static JsonReader lenient(CharSequence s, int from, int to) {
        return new JsonReader(s, from, to, false);
    }

    /** Reads the next token. */
    public Token next() {
        if (malformed) {
            return Token.MALFORMED;
        }
        pos = Text.skipSpaces(s, pos, end);
        if (afterName) {
            afterName = false;
            return value();
        }
        if (depth == 0) {
            return !done ? value() : pos == end ? Token.END : fail();
        }
        boolean inObject = isObject(depth - 1);
        if (pos < end && s.charAt(pos) == (inObject ? '}' : ']')) {
            pos++;
            depth--;
            first = false;
            done = depth == 0;
            return inObject ? Token.END_OBJECT : Token.END_ARRAY;
        }
        if (!first) {
            if (pos >= end || s.charAt(pos) != ',') {
                return fail();
            }
            pos = Text.skipSpaces(s, pos + 1, end);
        }
        first = false;
        return inObject ? name() : value();
    }

    /** The text the reader reads. */
    public CharSequence source() {
        return s;
    }

    /** Where the current string's content (inside the quotes) or number starts in {@link #source}. */
    public int start() {
        return from;
    }

    /** Where the current string's content or number ends (exclusive). */
    public int limit() {
        return to;
    }

    /** Whether the current string holds a backslash escape ({@link #decoded} then differs from the span). */
    public boolean escaped() {
        return escaped;
    }

    /** The current string or name with its escapes undone; null for a bad escape. */
    public @Nullable String decoded() {
        if (!escaped) {
            return s.subSequence(from, to).toString();
        }
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
                        return null;
                    }
                    b.append((char) cp);
                    i += 4;
                }
                default -> {
                    return null;
                }
            }
        }
        return b.toString();
    }

    private Token name() {
        if (pos >= end || s.charAt(pos) != '"' || !string()) {
            return fail();
        }
        pos = Text.skipSpaces(s, pos, end);
        if (pos >= end || s.charAt(pos) != ':') {
            return fail();
        }
        pos++;
        afterName = true;
        return Token.NAME;
    }

    private Token value() {
        if (pos >= end) {
            return fail();
        }
        char c = s.charAt(pos);
        if (c == '{' || c == '[') {
            if (depth >= MAX_NESTING) {
                return fail();
            }
            open(c == '{');
            return c == '{' ? Token.BEGIN_OBJECT : Token.BEGIN_ARRAY;
        }
        Token t = c == '"' ? (string() ? Token.STRING : fail()) : strict ? strictWord() : lenientWord();
        done = depth == 0 && t != Token.MALFORMED;
        return t;
    }

    private void open(boolean object) {
        long bit = 1L << (depth & 63);
        if (depth < 64) {
            objects0 = object ? objects0 | bit : objects0 & ~bit;
        } else {
            objects1 = object ? objects1 | bit : objects1 & ~bit;
        }
        pos++;
        depth++;
        first = true;
    }

    private boolean isObject(int d) {
        return ((d < 64 ? objects0 : objects1) & (1L << (d & 63))) != 0;
    }

    /** Moves past the string at {@code pos}; false when it does not end (or, strict, holds a control character). */
    private boolean string() {
        boolean esc = false;
        for (int i = pos + 1; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                esc = true;
                i++;
            } else if (c == '"') {
                from = pos + 1;
                to = i;
                escaped = esc;
                pos = i + 1;
                return true;
            } else if (strict && c < 0x20) {
                return false;
            }
        }
        return false;
    }

    private Token lenientWord() {
        int start = pos;
        while (pos < end) {
            char c = s.charAt(pos);
            if (c == ',' || c == '}' || c == ']' || Text.isSpace(c)) {
                break;
            }
            if (!(Text.isDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
                    || (c >= 'a' && c <= 'z'))) {
                return fail();
            }
            pos++;
        }
        if (pos == start) {
            return fail();
        }
        char c = s.charAt(start);
        return Text.isDigit(c) || c == '-' ? number(start) : keyword(start, pos);
    }

    private Token strictWord() {
        int start = pos;
        char c = s.charAt(pos);
        if (c != '-' && !Text.isDigit(c)) {
            for (String word : KEYWORDS) {
                if (pos + word.length() <= end && Text.equals(s, pos, pos + word.length(), word)) {
                    pos += word.length();
                    return keyword(start, pos);
                }
            }
            return fail();
        }
        if (c == '-') {
            pos++;
        }
        if (pos < end && s.charAt(pos) == '0') {
            pos++;
        } else if (!digits()) {
            return fail();
        }
        if (pos < end && s.charAt(pos) == '.') {
            pos++;
            if (!digits()) {
                return fail();
            }
        }
        if (pos < end && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            pos++;
            if (pos < end && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            if (!digits()) {
                return fail();
            }
        }
        return number(start);
    }

    private boolean digits() {
        int start = pos;
        while (pos < end && Text.isDigit(s.charAt(pos))) {
            pos++;
        }
        return pos > start;
    }

    private Token number(int start) {
        from = start;
        to = pos;
        return Token.NUMBER;
    }

    private Token keyword(int start, int stop) {
        if (Text.equals(s, start, stop, "true")) {
            return Token.TRUE;
        }
        if (Text.equals(s, start, stop, "false")) {
            return Token.FALSE;
        }
        return Text.equals(s, start, stop, "null") ? Token.NULL : fail();
    }

    private int hex4(int at) {
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private Token fail() {
        malformed = true;
        return Token.MALFORMED;
    }
}
