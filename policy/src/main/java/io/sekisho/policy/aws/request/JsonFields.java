package io.sekisho.policy.aws.request;

import io.sekisho.policy.Nullable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON reader (RFC 8259) for the few request fields a control reads whole
 * (SSM StartSession's Target, DocumentName and Parameters). Objects become {@link Map}s,
 * arrays {@link List}s, strings {@link String}s; numbers, booleans and null become
 * {@link #OTHER}. A duplicate key is an error, not "last one wins": the proxy and AWS might pick
 * different ones ({"DocumentName":"AWS-StartSSHSession","DocumentName":"SSM-SessionManagerRunShell"}).
 * Unlike {@code resources/JsonScanner}, which streams a body for accounts, this builds a tree.
 */
public final class JsonFields {
    /** Any value that is not an object, array or string. */
    public static final Object OTHER = new Object();
    private static final int MAX_DEPTH = 32;

    private final CharSequence s;
    private int i;

    private JsonFields(CharSequence s) {
        this.s = s;
    }

    /** The object {@code text} holds, or null when it is not exactly one well-formed JSON object. */
    public static @Nullable Map<String, Object> object(CharSequence text) {
        JsonFields j = new JsonFields(text);
        try {
            j.spaces();
            Object v = j.value(0);
            j.spaces();
            return j.i == text.length() && v instanceof Map<?, ?> ? cast(v) : null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked") // built by object() below with String keys
    private static Map<String, Object> cast(Object v) {
        return (Map<String, Object>) v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("too deep");
        }
        char c = s.charAt(i);
        if (c == '{') {
            return object(depth);
        }
        if (c == '[') {
            return array(depth);
        }
        if (c == '"') {
            return string();
        }
        return literal();
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        spaces();
        if (s.charAt(i) == '}') {
            i++;
            return m;
        }
        while (true) {
            spaces();
            if (s.charAt(i) != '"') {
                throw new IllegalArgumentException("key expected");
            }
            String key = string();
            spaces();
            expect(':');
            spaces();
            if (m.put(key, value(depth + 1)) != null) {
                throw new IllegalArgumentException("duplicate key");
            }
            spaces();
            if (s.charAt(i) == ',') {
                i++;
                continue;
            }
            expect('}');
            return m;
        }
    }

    private List<Object> array(int depth) {
        List<Object> out = new ArrayList<>();
        i++;
        spaces();
        if (s.charAt(i) == ']') {
            i++;
            return out;
        }
        while (true) {
            spaces();
            out.add(value(depth + 1));
            spaces();
            if (s.charAt(i) == ',') {
                i++;
                continue;
            }
            expect(']');
            return out;
        }
    }

    private String string() {
        StringBuilder b = new StringBuilder();
        i++;
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    String hex = s.subSequence(i, i + 4).toString();
                    if (!hex.matches("[0-9a-fA-F]{4}")) {
                        throw new IllegalArgumentException("bad \\u escape");
                    }
                    b.append((char) Integer.parseInt(hex, 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("bad escape");
            }
        }
    }

    private Object literal() {
        int start = i;
        while (i < s.length() && "+-.0123456789eEtruefalsn".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String t = s.subSequence(start, i).toString();
        if (t.equals("true") || t.equals("false") || t.equals("null")
                || t.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
            return OTHER;
        }
        throw new IllegalArgumentException("bad literal");
    }

    private void expect(char c) {
        if (s.charAt(i) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
        i++;
    }

    private void spaces() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }
}
