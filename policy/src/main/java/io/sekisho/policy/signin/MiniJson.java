package io.sekisho.policy.signin;

import io.sekisho.policy.Rejection;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON reader (RFC 8259) for the few small documents sign-in traffic
 * carries: the federation {@code Session} parameter, OIDC request bodies, the
 * {@code aws-userInfo} cookie and the sign-in token responses. {@code policy} is JDK only,
 * and the JDK has no JSON parser.
 *
 * <p>Objects become {@link Map}s (insertion order), arrays {@link List}s, strings
 * {@link String}s, numbers {@link BigDecimal}s, {@code true}/{@code false} {@link Boolean}s
 * and {@code null} {@link #NULL}. A duplicate key is an error, not "last one wins": the
 * proxy and AWS might pick different ones ({"sessionId":"company","sessionId":"foreign"}).
 */
final class MiniJson {
    /** The JSON {@code null} value. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Nesting deeper than this is refused; none of the documents we read nest beyond 3. */
    static final int MAX_DEPTH = 16;

    private final String s;
    private final Reason onError;
    private int i;

    private MiniJson(String s, Reason onError) {
        this.s = s;
        this.onError = onError;
    }

    /** Parses a whole document; anything malformed throws a rejection with {@code onError}. */
    static Object parse(String text, Reason onError) throws Rejection {
        MiniJson p = new MiniJson(text, onError);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.i != text.length()) {
            throw p.error("trailing characters after the JSON value");
        }
        return v;
    }

    /** Parses a document that must be an object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text, Reason onError) throws Rejection {
        Object v = parse(text, onError);
        if (!(v instanceof Map)) {
            throw new Rejection(onError, "JSON document is not an object");
        }
        return (Map<String, Object>) v;
    }

    /** The string member {@code name}, or null when absent or not a string. */
    static @Nullable String string(Map<String, Object> object, String name) {
        Object v = object.get(name);
        return v instanceof String str ? str : null;
    }

    private Object value(int depth) throws Rejection {
        if (depth > MAX_DEPTH) {
            throw error("JSON nested too deeply");
        }
        if (i >= s.length()) {
            throw error("unexpected end of JSON");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", true);
            case 'f':
                return literal("false", false);
            case 'n':
                return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character in JSON");
        }
    }

    private Map<String, Object> object(int depth) throws Rejection {
        Map<String, Object> m = new LinkedHashMap<>();
        i++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            i++;
            return Collections.unmodifiableMap(m);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("JSON object key is not a string");
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (m.putIfAbsent(key, v) != null) {
                throw error("duplicate key in JSON object");
            }
            skipWhitespace();
            char c = next();
            if (c == '}') {
                return Collections.unmodifiableMap(m);
            }
            if (c != ',') {
                throw error("expected ',' or '}' in JSON object");
            }
        }
    }

    private List<Object> array(int depth) throws Rejection {
        List<Object> l = new ArrayList<>();
        i++; // '['
        skipWhitespace();
        if (peek() == ']') {
            i++;
            return Collections.unmodifiableList(l);
        }
        while (true) {
            skipWhitespace();
            l.add(value(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == ']') {
                return Collections.unmodifiableList(l);
            }
            if (c != ',') {
                throw error("expected ',' or ']' in JSON array");
            }
        }
    }

    private String string() throws Rejection {
        i++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw error("control character in JSON string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"': b.append('"'); break;
                case '\\': b.append('\\'); break;
                case '/': b.append('/'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u': b.append(unicodeEscape()); break;
                default: throw error("bad escape in JSON string");
            }
        }
    }

    private char unicodeEscape() throws Rejection {
        if (i + 4 > s.length()) {
            throw error("truncated \\u escape in JSON string");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0) {
                throw error("bad \\u escape in JSON string");
            }
            v = v * 16 + d;
        }
        i += 4;
        return (char) v;
    }

    private BigDecimal number() throws Rejection {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else {
            digits();
        }
        if (peek() == '.') {
            i++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            digits();
        }
        try {
            return new BigDecimal(s.substring(start, i));
        } catch (NumberFormatException e) {
            // Well-formed, but its exponent does not fit an int ("1e9999999999"): BigDecimal
            // throws, and only a Rejection may leave this reader.
            throw error("number out of range in JSON");
        }
    }

    private void digits() throws Rejection {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i == start) {
            throw error("bad number in JSON");
        }
    }

    private Object literal(String word, Object v) throws Rejection {
        if (!s.startsWith(word, i)) {
            throw error("bad literal in JSON");
        }
        i += word.length();
        return v;
    }

    private void skipWhitespace() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private char next() throws Rejection {
        if (i >= s.length()) {
            throw error("unexpected end of JSON");
        }
        return s.charAt(i++);
    }

    private void expect(char c) throws Rejection {
        if (next() != c) {
            throw error("expected '" + c + "' in JSON");
        }
    }

    private Rejection error(String message) {
        return new Rejection(onError, message + " at offset " + i);
    }
}
