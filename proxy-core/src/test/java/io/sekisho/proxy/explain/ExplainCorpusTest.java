package io.sekisho.proxy.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sekisho.config.SekishoConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request of the AWS client wire corpus (policy's test resources, the same files its
 * CorpusTest reads), written out as a raw HTTP request file and judged by explain through the
 * CONNECT and the request: the reason equals the {@code base} column of corpus-verdicts.csv.
 */
class ExplainCorpusTest {
    private static final Path CORPUS = Path.of("../policy/src/test/resources");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static SekishoConfig config;

    @BeforeAll
    static void load() throws Exception {
        config = ExplainConfigs.load(ExplainConfigs.write(dir, "enforce", ""));
    }

    static Stream<String[]> fixtures() throws IOException {
        return Files.readAllLines(CORPUS.resolve("corpus-verdicts.csv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("fixture,"))
                .map(l -> l.split(","))
                .filter(cols -> !cols[1].equals("-"));
    }

    @Test
    void theWholeCorpusIsThere() throws IOException {
        assertThat(fixtures().count()).isGreaterThan(90);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void explainGivesTheCorpusVerdict(String fixture, String base, String buckets) throws Exception {
        JsonNode request = JSON.readTree(CORPUS.resolve("corpus").resolve(fixture).toFile()).get("request");
        Path raw = dir.resolve(fixture.replace('/', '_') + ".http");
        Files.write(raw, rawRequest(request));
        List<ExplainRequest> read = ExplainInputs.read(List.of(raw.toString()), "GET", List.of(), "");
        Explanation e = new Explainer(config).explain(read.get(0));
        assertThat(e.decision().reason().name()).as(String.join("\n", e.steps())).isEqualTo(base);
    }

    /** The request as it was on the wire: request line, headers, body. */
    private static byte[] rawRequest(JsonNode r) throws IOException {
        String target = r.get("scheme").asText() + "://" + r.get("host").asText() + ":" + r.get("port").asInt()
                + r.get("path").asText() + (r.get("query").isNull() || r.get("query").asText().isEmpty() ? ""
                        : "?" + r.get("query").asText());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((r.get("method").asText() + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
        Map<String, String> seen = new HashMap<>();
        for (JsonNode h : r.get("headers")) {
            seen.put(h.get(0).asText().toLowerCase(java.util.Locale.ROOT), h.get(1).asText());
            out.write((h.get(0).asText() + ": " + h.get(1).asText() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        JsonNode body = r.get("body");
        if (body != null && !body.isNull()) {
            out.write(body.get("encoding").asText().equals("text") ? body.get("text").asText().getBytes(StandardCharsets.UTF_8)
                    : Base64.getDecoder().decode(body.get("base64").asText()));
        }
        return out.toByteArray();
    }
}
