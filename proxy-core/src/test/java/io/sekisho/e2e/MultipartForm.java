package io.sekisho.e2e;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A small {@code multipart/form-data} reader (RFC 7578) for the S3 POST form upload fake. */
final class MultipartForm {

    /** One form field; {@code filename} and {@code contentType} are null for plain fields. */
    record Part(String name, String filename, String contentType, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private MultipartForm() {
    }

    /** Fields by name (case as sent; S3 matches field names case-insensitively, so do lookups in lower case too). */
    static Map<String, Part> parse(RecordedRequest request) {
        String contentType = request.header("Content-Type").orElse("");
        int at = contentType.toLowerCase(Locale.ROOT).indexOf("boundary=");
        if (at < 0) {
            throw new IllegalArgumentException("multipart without boundary");
        }
        String boundary = contentType.substring(at + "boundary=".length()).replace("\"", "").split(";")[0].trim();
        // ISO-8859-1 maps every byte to one char, so offsets in the string are offsets in the body.
        String body = new String(request.body(), StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        Map<String, Part> parts = new LinkedHashMap<>();
        int start = body.indexOf(delimiter);
        while (start >= 0) {
            int headersStart = start + delimiter.length();
            if (body.startsWith("--", headersStart)) {
                break;
            }
            int headersEnd = body.indexOf("\r\n\r\n", headersStart);
            int next = body.indexOf("\r\n" + delimiter, headersEnd);
            if (headersEnd < 0 || next < 0) {
                throw new IllegalArgumentException("truncated multipart body");
            }
            Part part = part(body.substring(headersStart, headersEnd), request.body(), headersEnd + 4, next);
            parts.put(part.name().toLowerCase(Locale.ROOT), part);
            start = next + 2;
        }
        return parts;
    }

    private static Part part(String headers, byte[] body, int from, int to) {
        String name = null;
        String filename = null;
        String type = null;
        for (String line : headers.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-disposition:")) {
                name = attribute(line, "name");
                filename = attribute(line, "filename");
            } else if (lower.startsWith("content-type:")) {
                type = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        byte[] content = java.util.Arrays.copyOfRange(body, from, to);
        return new Part(name == null ? "" : name, filename, type, content);
    }

    private static String attribute(String line, String key) {
        for (String piece : line.split(";")) {
            String trimmed = piece.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith(key + "=")) {
                return trimmed.substring(key.length() + 1).replace("\"", "");
            }
        }
        return null;
    }
}
