package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.aws.wire.JsonReader.Token;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON document as a tree, read strictly with {@link JsonReader}: the federation
 * {@code Session} parameter, OIDC request bodies, the {@code aws-userInfo} cookie, sign-in token
 * responses. Objects become {@link Map}s (insertion order), arrays {@link List}s, strings
 * {@link String}s, numbers {@link BigDecimal}s, {@code true}/{@code false} {@link Boolean}s and
 * {@code null} {@link #NULL}. A duplicate key is an error, not "last one wins": the proxy and
 * AWS might pick different ones ({"sessionId":"company","sessionId":"foreign"}).
 */
public final class JsonDocument {
    /** The JSON {@code null} value. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Nesting deeper than this is refused; none of the documents read this way nest beyond 3. */
    public static final int MAX_DEPTH = 16;

    private final JsonReader json;
    private final Reason onError;

    private JsonDocument(JsonReader json, Reason onError) {
        this.json = json;
        this.onError = onError;
    }

    /** Parses a whole document; anything malformed is rejected with {@code onError}. */
    public static Object parse(CharSequence text, Reason onError) throws Rejection {
        JsonDocument d = new JsonDocument(JsonReader.strict(text), onError);
        Object v = d.value(d.json.next(), 0);
        if (d.json.next() != Token.END) {
            throw d.error("trailing characters after the JSON value");
        }
        return v;
    }

    /** Parses a document that must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(CharSequence text, Reason onError) throws Rejection {
        Object v = parse(text, onError);
        if (!(v instanceof Map)) {
            throw new Rejection(onError, "JSON document is not an object");
        }
        return (Map<String, Object>) v;
    }

    /** The string member {@code name}, or null when absent or not a string. */
    public static @Nullable String string(Map<String, Object> object, String name) {
        Object v = object.get(name);
        return v instanceof String str ? str : null;
    }

    private Object value(Token t, int depth) throws Rejection {
        if (depth > MAX_DEPTH) {
            throw error("JSON nested too deeply");
        }
        switch (t) {
            case BEGIN_OBJECT:
                return object(depth);
            case BEGIN_ARRAY:
                return array(depth);
            case STRING:
                return text();
            case NUMBER:
                return number();
            case TRUE:
                return true;
            case FALSE:
                return false;
            case NULL:
                return NULL;
            default:
                throw error("not a JSON value");
        }
    }

    private Map<String, Object> object(int depth) throws Rejection {
        Map<String, Object> m = new LinkedHashMap<>();
        Token t;
        while ((t = json.next()) == Token.NAME) {
            String key = text();
            if (m.putIfAbsent(key, value(json.next(), depth + 1)) != null) {
                throw error("duplicate key in JSON object");
            }
        }
        if (t != Token.END_OBJECT) {
            throw error("malformed JSON object");
        }
        return Collections.unmodifiableMap(m);
    }

    private List<Object> array(int depth) throws Rejection {
        List<Object> l = new ArrayList<>();
        Token t;
        while ((t = json.next()) != Token.END_ARRAY) {
            l.add(value(t, depth + 1));
        }
        return Collections.unmodifiableList(l);
    }

    private String text() throws Rejection {
        String v = json.decoded();
        if (v == null) {
            throw error("bad escape in JSON string");
        }
        return v;
    }

    private BigDecimal number() throws Rejection {
        try {
            return new BigDecimal(json.source().subSequence(json.start(), json.limit()).toString());
        } catch (NumberFormatException e) {
            // Well-formed, but its exponent does not fit an int ("1e9999999999").
            throw error("number out of range in JSON");
        }
    }

    private Rejection error(String message) {
        return new Rejection(onError, message);
    }
}
