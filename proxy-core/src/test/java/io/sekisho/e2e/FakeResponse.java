package io.sekisho.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a fake answers: status, header lines in order, body. Content-Length is added on send. */
public record FakeResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    public FakeResponse {
        headers = List.copyOf(headers);
    }

    public static FakeResponse of(int status, String contentType, String body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (contentType != null) {
            headers.add(Map.entry("Content-Type", contentType));
        }
        return new FakeResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    public static FakeResponse xml(int status, String xml) {
        return of(status, "text/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml);
    }

    public static FakeResponse json(int status, String contentType, String json) {
        return of(status, contentType, json);
    }

    public static FakeResponse html(String html) {
        return of(200, "text/html; charset=utf-8", html);
    }

    public static FakeResponse empty(int status) {
        return new FakeResponse(status, List.of(), new byte[0]);
    }

    /** 302 Found, the redirect the sign-in endpoints answer with. */
    public static FakeResponse redirect(String location) {
        return new FakeResponse(302, List.of(Map.entry("Location", location)), new byte[0]);
    }

    public FakeResponse withHeader(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new FakeResponse(status, more, body);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Escapes text for an XML or HTML element or attribute value. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Quotes text as a JSON string literal. */
    public static String jsonString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<' -> out.append("\\u003c");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
