package io.sekisho.proxy.explain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads explain's inputs, each one of: an {@code http(s)://} URL (judged with the given method,
 * headers and body), a curl command line (as one argument, or a file holding one), a HAR file,
 * or a raw HTTP request file.
 */
public final class ExplainInputs {
    private ExplainInputs() {
    }

    /** Every request the inputs hold, in order. */
    public static List<ExplainRequest> read(List<String> inputs, String method, List<String> headerLines, String data)
            throws InputException, IOException {
        List<ExplainRequest> out = new ArrayList<>();
        for (String input : inputs) {
            out.addAll(one(input, method, headerLines, data));
        }
        return out;
    }

    private static List<ExplainRequest> one(String input, String method, List<String> headerLines, String data)
            throws InputException, IOException {
        String trimmed = input.trim();
        if (Urls.isAbsolute(trimmed)) {
            List<String[]> headers = new ArrayList<>();
            for (String h : headerLines) {
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    throw new InputException("--header without a colon: " + h);
                }
                headers.add(new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()});
            }
            byte[] body = data.getBytes(StandardCharsets.UTF_8);
            return List.of(Urls.request(trimmed, method.toUpperCase(Locale.ROOT), trimmed, headers, body));
        }
        if (trimmed.startsWith("curl ")) {
            return List.of(CurlCommand.parse(trimmed, "curl"));
        }
        Path file = Path.of(input);
        if (!Files.isRegularFile(file)) {
            throw new InputException(input + ": neither a URL, a curl command line nor a readable file");
        }
        byte[] bytes = Files.readAllBytes(file);
        String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.ISO_8859_1).stripLeading();
        if (start.startsWith("{")) {
            return HarFile.read(file);
        }
        if (start.startsWith("curl ")) {
            return List.of(CurlCommand.parse(new String(bytes, StandardCharsets.UTF_8), file.toString()));
        }
        return List.of(RawHttpFile.parse(bytes, file.toString()));
    }
}
