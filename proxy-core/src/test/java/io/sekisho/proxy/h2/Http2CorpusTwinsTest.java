package io.sekisho.proxy.h2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.sekisho.config.SekishoConfig;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.explain.ExplainConfigs;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.intercept.TunnelSockets;
import io.sekisho.proxy.testing.ProxyFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AWS client wire corpus replayed through the proxy with the real engine twice: as captured
 * (HTTP/1.1) and as HTTP/2 (the same fields, pseudo-headers for the request line and Host, the
 * same body). The corpus holds no HTTP/2 captures (every capture is ALPN http/1.1), so each
 * HTTP/1.1 capture is its own twin: both must get the same verdict and reason.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class Http2CorpusTwinsTest {
    private static final Path CORPUS = Path.of("../policy/src/test/resources");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields HTTP/2 does not carry, or that the request line and Host become. */
    private static final Set<String> NOT_IN_H2 = Set.of("host", "connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "te");

    @TempDir
    static Path dir;
    static FakeAwsOrigin origin;
    static ProxyCa ca;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        TestPki originPki = TestPki.create(dir.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        StringBuilder extra = new StringBuilder("listen: \"127.0.0.1:0\"\nupstream:\n  resolve:\n");
        origin.resolvePatterns().forEach((p, a) -> extra.append("    \"").append(p).append("\": \"").append(a)
                .append("\"\n"));
        extra.append("  trustedCertificates: [\"").append(originPki.caPem()).append("\"]\n");
        SekishoConfig config = ExplainConfigs.load(ExplainConfigs.write(dir, "enforce", extra.toString()));
        Path pem = dir.resolve("ca/ca.pem");
        try (java.io.InputStream in = Files.newInputStream(pem)) {
            ca = new ProxyCa(pem, dir.resolve("ca/ca.key"), (java.security.cert.X509Certificate)
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        proxy = ProxyFixture.start(config, Wiring.DEFAULT.policyFor(config));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    static Stream<String> fixtures() throws IOException {
        return Files.readAllLines(CORPUS.resolve("corpus-verdicts.csv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("fixture,"))
                .map(l -> l.split(",")).filter(cols -> !cols[1].equals("-")).map(cols -> cols[0]);
    }

    @Test
    void theCorpusIsThere() throws IOException {
        assertThat(fixtures().count()).isGreaterThan(90);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theHttp2TwinIsJudgedAsTheHttp11Capture(String fixture) throws Exception {
        JsonNode r = JSON.readTree(CORPUS.resolve("corpus").resolve(fixture).toFile()).get("request");
        JsonNode body = r.get("body");
        if (body != null && !body.isNull() && body.get("truncated").asBoolean()) {
            return; // only part of the body was kept: neither twin could be sent whole
        }
        String host = r.get("host").asText();
        byte[] content = body == null || body.isNull() ? new byte[0] : body.get("encoding").asText().equals("text")
                ? body.get("text").asText().getBytes(StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(body.get("base64").asText());

        Map<String, Object> h1 = judged(() -> sendHttp11(r, host, content));
        Map<String, Object> h2 = judged(() -> sendHttp2(r, host, content));

        assertThat(h1).as("HTTP/1.1 capture").isNotNull();
        assertThat(h2).as("HTTP/2 twin").isNotNull();
        assertThat(List.of(h2.get("verdict"), h2.get("reason"), h2.get("path")))
                .isEqualTo(List.of(h1.get("verdict"), h1.get("reason"), h1.get("path")));
    }

    private interface Send {
        void run() throws Exception;
    }

    /** The audit line of the one request {@code send} makes (CONNECT lines left out). */
    private static Map<String, Object> judged(Send send) throws Exception {
        int before = requests().size();
        send.run();
        proxy.audit().await(l -> requests().size() > before, Duration.ofSeconds(20));
        List<Map<String, Object>> now = requests();
        return now.size() > before ? now.get(before) : null;
    }

    private static List<Map<String, Object>> requests() {
        return proxy.audit().all().stream().filter(l -> !"CONNECT".equals(l.get("method"))).toList();
    }

    private static String target(JsonNode r) {
        String q = r.get("query").isNull() ? "" : r.get("query").asText();
        return r.get("path").asText() + (q.isEmpty() ? "" : "?" + q);
    }

    private static void sendHttp11(JsonNode r, String host, byte[] content) throws Exception {
        try (Socket raw = TunnelSockets.connect(new Socket("127.0.0.1", proxy.port()), host, 443);
                SSLSocket tls = TunnelSockets.handshake(raw, host, host, ca.clientContext())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write((r.get("method").asText() + " " + target(r) + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
            for (JsonNode h : r.get("headers")) {
                out.write((h.get(0).asText() + ": " + h.get(1).asText() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            out.write(content);
            tls.getOutputStream().write(out.toByteArray());
            tls.getOutputStream().flush();
            TunnelSockets.readHead(tls.getInputStream());
        }
    }

    private static void sendHttp2(JsonNode r, String host, byte[] content) throws Exception {
        Http2Headers h = new DefaultHttp2Headers(false).method(r.get("method").asText()).scheme("https")
                .authority(host).path(target(r));
        for (JsonNode field : r.get("headers")) {
            String name = field.get(0).asText().toLowerCase(Locale.ROOT);
            if (!NOT_IN_H2.contains(name)) {
                h.add(name, field.get(1).asText());
            }
        }
        try (RawH2Client c = RawH2Client.open(proxy.port(), host, ca.clientContext())) {
            c.headers(1, h, content.length == 0);
            if (content.length > 0) {
                for (int at = 0; at < content.length; at += 16_384) {
                    int n = Math.min(16_384, content.length - at);
                    byte[] part = new byte[n];
                    System.arraycopy(content, at, part, 0, n);
                    c.data(1, part, at + n == content.length);
                }
            }
            c.awaitStatus(1);
        }
    }
}
