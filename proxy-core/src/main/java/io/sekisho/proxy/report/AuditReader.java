package io.sekisho.proxy.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Streams audit files line by line, gzip-compressed or not (told by the magic bytes, so a
 * rotated {@code audit.log.3} that was compressed without a suffix reads too), never holding more
 * than one line: a month of logs reads in constant memory. One {@link AuditLine} is reused.
 */
final class AuditReader {
    private static final JsonFactory JSON = new JsonFactory();

    private final AuditLine line = new AuditLine();
    private long lines;
    private long unreadable;

    long lines() {
        return lines;
    }

    long unreadable() {
        return unreadable;
    }

    void read(Path file, Consumer<AuditLine> sink) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                BufferedReader r = new BufferedReader(new InputStreamReader(decompressed(raw), StandardCharsets.UTF_8),
                        1 << 16)) {
            String text;
            while ((text = r.readLine()) != null) {
                if (text.isBlank()) {
                    continue;
                }
                lines++;
                if (parse(text)) {
                    sink.accept(line);
                } else {
                    unreadable++;
                }
            }
        }
    }

    private static InputStream decompressed(InputStream in) throws IOException {
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        return a == 0x1f && b == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private boolean parse(String text) {
        line.clear();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                field(p, name, t);
            }
            return !line.verdict.isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private void field(JsonParser p, String name, JsonToken t) throws IOException {
        if (t == JsonToken.START_ARRAY) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (name.equals("resourceAccounts") && p.currentToken() == JsonToken.VALUE_STRING) {
                    line.resourceAccounts.add(p.getText());
                } else {
                    p.skipChildren();
                }
            }
            return;
        }
        if (t == JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String v = p.getText();
        switch (name) {
            case "time" -> line.time = v;
            case "client" -> line.client = v;
            case "user" -> line.user = v;
            case "host" -> line.host = v;
            case "verdict" -> line.verdict = v;
            case "reason" -> line.reason = v;
            case "wouldDeny" -> line.wouldDeny = t == JsonToken.VALUE_TRUE;
            case "principalAccount" -> line.principalAccount = v;
            case "flow" -> line.flow = v;
            case "action" -> line.action = v;
            default -> {
                // a field this report does not use, or one a newer version added
            }
        }
    }
}
