package io.sekisho.policy.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sekisho.policy.HostName;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.SimpleHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One fixture of the AWS client wire corpus (test resources corpus/, format in corpus/README.md):
 * the captured request as {@link RequestFacts} and what the fixture says must be found.
 */
public final class CorpusFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final String name;
    public final JsonNode expect;
    public final JsonNode request;
    /** The fixture's top-level "service" (the signing name, or the host's service when unsigned). */
    public final String service;
    /** The region of the credential scope as the capture parsed it, "" when none. */
    public final String scopeRegion;

    private CorpusFixture(String name, JsonNode root) {
        this.name = name;
        this.expect = root.get("expect");
        this.request = root.get("request");
        this.service = root.get("service").asText();
        JsonNode auth = root.get("observed_auth");
        JsonNode region = auth == null ? null : auth.get("scope_region");
        this.scopeRegion = region == null || region.isNull() ? "" : region.asText();
    }

    /** Every fixture listed in corpus/INDEX.json. */
    public static List<CorpusFixture> all() {
        List<CorpusFixture> out = new ArrayList<>();
        for (JsonNode row : read("corpus/INDEX.json")) {
            String name = row.get("fixture").asText();
            out.add(new CorpusFixture(name, read("corpus/" + name)));
        }
        return out;
    }

    public static CorpusFixture named(String name) {
        return new CorpusFixture(name, read("corpus/" + name));
    }

    private static JsonNode read(String resource) {
        try (InputStream in = CorpusFixture.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The expectation field as text, "" when null or absent. */
    public String expect(String field) {
        JsonNode n = expect.get(field);
        return n == null || n.isNull() ? "" : n.asText();
    }

    /** The account IDs among the fixture's decoys (other accounts visible in the request). */
    public List<String> decoyAccounts() {
        List<String> out = new ArrayList<>();
        JsonNode decoys = expect.get("decoys");
        if (decoys != null) {
            for (JsonNode d : decoys) {
                if (d.get("kind").asText().equals("account_id")) {
                    out.add(d.get("value").asText());
                }
            }
        }
        return out;
    }

    public RequestFacts facts() {
        List<String[]> headers = new ArrayList<>();
        for (JsonNode h : request.get("headers")) {
            headers.add(new String[] {h.get(0).asText(), h.get(1).asText()});
        }
        JsonNode body = request.get("body");
        ByteBuffer bytes = null;
        boolean complete = false;
        if (body != null && !body.isNull()) {
            byte[] raw = body.get("encoding").asText().equals("text")
                    ? body.get("text").asText().getBytes(StandardCharsets.UTF_8)
                    : Base64.getDecoder().decode(body.get("base64").asText());
            bytes = ByteBuffer.wrap(raw).asReadOnlyBuffer();
            complete = !body.get("truncated").asBoolean();
        }
        JsonNode query = request.get("query");
        return new RequestFacts(name, "127.0.0.1:40000", request.get("method").asText(), request.get("scheme").asText(),
                HostName.parse(request.get("host").asText()), request.get("port").asInt(), request.get("path").asText(),
                query == null || query.isNull() ? "" : query.asText(), SimpleHeaders.fromLines(headers), bytes, complete, null);
    }

    @Override
    public String toString() {
        return name;
    }
}
