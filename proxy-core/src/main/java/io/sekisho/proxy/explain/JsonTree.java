package io.sekisho.proxy.explain;

import io.sekisho.policy.Nullable;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document read into maps, lists and scalars with Jackson's streaming parser (the
 * proxy ships jackson-core only). For HAR files, which a browser writes whole.
 */
final class JsonTree {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonTree() {
    }

    static Object read(InputStream in) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            p.nextToken();
            return value(p);
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Object> m = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                m.put(name, value(p));
            }
            return m;
        }
        if (t == JsonToken.START_ARRAY) {
            List<Object> l = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                l.add(value(p));
            }
            return l;
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getNumberValue();
        }
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return p.getBooleanValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        if (t == null) {
            throw new IOException("unexpected end of JSON");
        }
        return p.getText();
    }

    @SuppressWarnings("unchecked") // the tree holds only maps with string keys
    static Map<String, Object> object(@Nullable Object o, String what) throws InputException {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new InputException(what + " is not a JSON object");
    }

    static List<?> array(@Nullable Object o, String what) throws InputException {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new InputException(what + " is not a JSON array");
    }

    static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }
}
