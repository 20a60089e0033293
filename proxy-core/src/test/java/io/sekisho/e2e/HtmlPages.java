package io.sekisho.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fakes' HTML pages live in {@code src/test/resources/e2e/pages/}: {@code {{name}}} is replaced
 * by the HTML-escaped value, {@code {{{name}}}} by the value as is (JSON in a script element, markup
 * built by the fake). An unknown placeholder is an error, not an empty string.
 */
final class HtmlPages {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\{)?([A-Za-z]+)}}(})?");
    private static final Map<String, String> TEMPLATES = new ConcurrentHashMap<>();

    private HtmlPages() {
    }

    static FakeResponse page(String template, Map<String, String> values) {
        return FakeResponse.html(render(template, values));
    }

    static String render(String template, Map<String, String> values) {
        String text = TEMPLATES.computeIfAbsent(template, HtmlPages::load);
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 256);
        while (matcher.find()) {
            String value = values.get(matcher.group(2));
            if (value == null) {
                throw new IllegalArgumentException(template + ": no value for " + matcher.group(2));
            }
            boolean raw = matcher.group(1) != null;
            matcher.appendReplacement(out, Matcher.quoteReplacement(raw ? value : FakeResponse.escape(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String load(String template) {
        try (InputStream in = HtmlPages.class.getResourceAsStream("/e2e/pages/" + template)) {
            if (in == null) {
                throw new IllegalArgumentException("no page template " + template);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
