package io.sekisho.proxy.explain;

import io.sekisho.policy.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A HAR 1.2 file as browsers' developer tools save it: every http(s) entry, in the order the
 * browser started them, with the response it saw (replayed so that the policy learns what the
 * proxy would have learned: a sign-in token issued in an earlier response).
 */
final class HarFile {
    private HarFile() {
    }

    static List<ExplainRequest> read(Path file) throws InputException, IOException {
        Object root;
        try (InputStream in = Files.newInputStream(file)) {
            root = JsonTree.read(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(file + ": not JSON: " + e.getOriginalMessage());
        }
        Map<String, Object> log = JsonTree.object(JsonTree.object(root, file + "").get("log"), file + ": log");
        List<?> entries = JsonTree.array(log.get("entries"), file + ": log.entries");
        List<ExplainRequest> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String source = file.getFileName() + "#" + (i + 1);
            Map<String, Object> entry = JsonTree.object(entries.get(i), source);
            ExplainRequest r = entry(entry, source);
            if (r != null) {
                out.add(r);
            }
        }
        // HAR entries are meant to be sorted by startedDateTime; keep the file's order on ties.
        out.sort((a, b) -> a.startedAt().compareTo(b.startedAt()));
        return out;
    }

    /** One entry; null for a URL the proxy never sees (data:, blob:, chrome-extension:). */
    private static @Nullable ExplainRequest entry(Map<String, Object> entry, String source) throws InputException {
        Map<String, Object> req = JsonTree.object(entry.get("request"), source + ": request");
        String url = JsonTree.text(req, "url");
        if (!Urls.isAbsolute(url)) {
            return null;
        }
        byte[] body = new byte[0];
        Object post = req.get("postData");
        if (post != null) {
            body = JsonTree.text(JsonTree.object(post, source + ": postData"), "text").getBytes(StandardCharsets.UTF_8);
        }
        List<String[]> headers = headers(req, source);
        ExplainRequest r = Urls.request(source, JsonTree.text(req, "method"), url, headers, body);
        return new ExplainRequest(r.source(), r.method(), r.scheme(), r.host(), r.port(), r.path(), r.query(),
                r.headers(), r.body(), response(entry.get("response"), source),
                JsonTree.text(entry, "startedDateTime"));
    }

    private static ExplainRequest.@Nullable RecordedResponse response(@Nullable Object o,
            String source) throws InputException {
        if (o == null) {
            return null;
        }
        Map<String, Object> res = JsonTree.object(o, source + ": response");
        int status;
        try {
            status = Integer.parseInt(JsonTree.text(res, "status"));
        } catch (NumberFormatException e) {
            throw new InputException(source + ": response.status is not a number");
        }
        if (status <= 0) {
            // The browser never got a response (blocked, cancelled): nothing to learn from.
            return null;
        }
        byte[] body = new byte[0];
        Object content = res.get("content");
        if (content != null) {
            Map<String, Object> c = JsonTree.object(content, source + ": response.content");
            String text = JsonTree.text(c, "text");
            try {
                body = JsonTree.text(c, "encoding").equals("base64") ? Base64.getMimeDecoder().decode(text)
                        : text.getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InputException(source + ": response.content.text is not base64");
            }
        }
        return new ExplainRequest.RecordedResponse(status, headers(res, source), body);
    }

    /** The headers, without HTTP/2 pseudo-headers (the proxy sees HTTP/1.1 through CONNECT). */
    private static List<String[]> headers(Map<String, Object> m, String source) throws InputException {
        List<String[]> out = new ArrayList<>();
        Object hs = m.get("headers");
        if (hs == null) {
            return out;
        }
        for (Object h : JsonTree.array(hs, source + ": headers")) {
            Map<String, Object> header = JsonTree.object(h, source + ": header");
            String name = JsonTree.text(header, "name");
            if (!name.isEmpty() && !name.startsWith(":")) {
                out.add(new String[] {name, JsonTree.text(header, "value")});
            }
        }
        return out;
    }
}
