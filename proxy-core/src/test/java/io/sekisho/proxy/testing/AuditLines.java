package io.sekisho.proxy.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads an audit file written by the proxy: one JSON object per line, parsed with jackson-core. */
public final class AuditLines {
    private static final JsonFactory JSON = new JsonFactory();
    private final Path file;

    public AuditLines(Path file) {
        this.file = file;
    }

    /** Every line so far, parsed: keys in file order; arrays as lists; numbers as Long. */
    public List<Map<String, Object>> all() {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            // Only whole lines: a last line without its newline is still being written (the
            // writer's batch can land in two writes), and is read on the next call.
            int end = text.lastIndexOf('\n') + 1;
            List<Map<String, Object>> out = new ArrayList<>();
            for (String line : text.substring(0, end).split("\n")) {
                if (!line.isBlank()) {
                    out.add(parse(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> rawLines() {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to {@code timeout}) for a line matching {@code p} and returns it. */
    public Map<String, Object> await(Predicate<Map<String, Object>> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Map<String, Object> line : all()) {
                if (p.test(line)) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no audit line matched within " + timeout + "; lines: " + rawLines());
            }
            sleep();
        }
    }

    /** Waits for a line with this method and host. */
    public Map<String, Object> await(String method, String host) {
        return await(l -> method.equals(l.get("method")) && host.equals(l.get("host")), Duration.ofSeconds(10));
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Map<String, Object> parse(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new AssertionError("not a JSON object: " + line);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                m.put(key, value(p, t));
            }
            if (p.nextToken() != null) {
                throw new AssertionError("more than one JSON value on a line: " + line);
            }
            return m;
        } catch (IOException e) {
            throw new AssertionError("bad JSON line: " + line, e);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_ARRAY:
                List<Object> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(value(p, n));
                }
                return l;
            default:
                throw new AssertionError("unexpected JSON token " + t);
        }
    }
}
