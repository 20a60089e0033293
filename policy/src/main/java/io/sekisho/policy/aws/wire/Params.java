package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Nullable;

/**
 * A cursor over {@code name=value&name=value} text: a URL query string or an
 * {@code application/x-www-form-urlencoded} body. Names and values are decoded only when asked
 * for, and only when they contain an escape, because AWS decodes them before acting: a client
 * that writes {@code Role%41rn} means {@code RoleArn}.
 */
public final class Params {
    private final CharSequence text;
    /** The same text when it is a String: String.indexOf is much faster than a charAt loop. */
    private final @Nullable String str;
    private final int end;
    private int pos;
    private int nameFrom;
    private int nameTo;
    private int valueFrom;
    private int valueTo;
    private boolean nameEncoded;
    private @Nullable String decodedName;
    /** 0 unknown, 1 plain, 2 has escapes: the value is checked once, not per accessor. */
    private int valueEncoding;

    public Params(CharSequence text, int from, int to) {
        this.text = text;
        this.str = text instanceof String s ? s : null;
        this.pos = from;
        this.end = to;
    }

    public static Params of(CharSequence text) {
        return new Params(text, 0, text.length());
    }

    /** Moves to the next parameter; false at the end. Empty segments ("a=1&&b=2") are skipped. */
    public boolean next() {
        while (pos < end) {
            int amp = indexOf('&', pos, end);
            int segEnd = amp < 0 ? end : amp;
            int segStart = pos;
            pos = segEnd + 1;
            if (segEnd == segStart) {
                continue;
            }
            int eq = indexOf('=', segStart, segEnd);
            nameFrom = segStart;
            nameTo = eq < 0 ? segEnd : eq;
            valueFrom = eq < 0 ? segEnd : eq + 1;
            valueTo = segEnd;
            nameEncoded = Percent.needsDecoding(text, nameFrom, nameTo);
            decodedName = null;
            valueEncoding = 0;
            return true;
        }
        return false;
    }

    private int indexOf(char c, int from, int to) {
        if (str != null) {
            int i = str.indexOf(c, from);
            return i < to ? i : -1;
        }
        return Text.indexOf(text, c, from, to);
    }

    /** True when the current name equals {@code name}, ignoring ASCII case. */
    public boolean nameIs(String name) {
        if (!nameEncoded) {
            return Text.equalsIgnoreCase(text, nameFrom, nameTo, name);
        }
        String n = name();
        return n != null && n.equalsIgnoreCase(name);
    }

    /** True when the current name is exactly {@code name} (case matters). */
    public boolean nameEquals(String name) {
        if (!nameEncoded) {
            return Text.equals(text, nameFrom, nameTo, name);
        }
        return name.equals(name());
    }

    /** The decoded name; null when it holds a bad escape. */
    public @Nullable String name() {
        if (!nameEncoded) {
            return Text.slice(text, nameFrom, nameTo);
        }
        if (decodedName == null) {
            decodedName = Percent.decode(text, nameFrom, nameTo);
        }
        return decodedName;
    }

    /** The name as a slice source: the raw text when unencoded, else the decoded name. */
    public @Nullable CharSequence nameSource() {
        return nameEncoded ? name() : text;
    }

    public int nameFrom() {
        return nameEncoded ? 0 : nameFrom;
    }

    public int nameTo() {
        if (!nameEncoded) {
            return nameTo;
        }
        String n = name();
        return n == null ? 0 : n.length();
    }

    public boolean nameMalformed() {
        return nameEncoded && name() == null;
    }

    /** The value as a slice source: the raw text when unencoded, else the decoded value (null if bad). */
    public @Nullable CharSequence valueSource() {
        return valueEncoded() ? Percent.decodeEscaped(text, valueFrom, valueTo) : text;
    }

    private boolean valueEncoded() {
        if (valueEncoding == 0) {
            valueEncoding = Percent.needsDecoding(text, valueFrom, valueTo) ? 2 : 1;
        }
        return valueEncoding == 2;
    }

    public int valueFrom(CharSequence source) {
        return source == text ? valueFrom : 0;
    }

    public int valueTo(CharSequence source) {
        return source == text ? valueTo : source.length();
    }

    /** The name as sent, not decoded. */
    public String rawName() {
        return Text.slice(text, nameFrom, nameTo);
    }

    /** The value as sent, not decoded. */
    public String rawValue() {
        return Text.slice(text, valueFrom, valueTo);
    }

    /** The decoded value; null when it holds a bad escape. */
    public @Nullable String value() {
        return valueEncoded() ? Percent.decodeEscaped(text, valueFrom, valueTo) : Text.slice(text, valueFrom, valueTo);
    }

    boolean valueEmpty() {
        return valueFrom == valueTo;
    }
}
