package io.sekisho.proxy.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.intercept.TunnelSockets;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling through real sockets, on both paths a request takes (absolute-form to a plain
 * origin, and origin-form inside an intercepted CONNECT), against an origin that records every
 * request it decodes (issue 18 points 1 and 6). Each refused case carries a hidden request after
 * it; the origin must receive nothing, the client a 400 with the reason, and the connection must
 * close. Each accepted case must reach the origin as exactly the requests it holds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmugglingTest {
    private static final String PLAIN = "plain.example.test";
    private static final String AWS = "s3.us-east-1.amazonaws.com";

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static ProxyCa ca;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() {
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        proxy = ProxyFixture.start(TestConfigs.builder()
                .resolve(PLAIN, origin.httpPort())
                .resolve(".amazonaws.com", origin.httpsPort())
                .interceptWith(ca.pem(), ca.key())
                .trust(originPki.caPem())
                .build(), TestPolicy.allowing("*").intercepting(true));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @BeforeEach
    void clear() {
        origin.clearRequests();
    }

    enum Path2 { ABSOLUTE_FORM, INTERCEPTED }

    /** Request templates: {T} is the request target of path /x, {H} the host. */
    static Stream<Arguments> refused() {
        String head = "{T} HTTP/1.1\r\nHost: {H}\r\n";
        return cases(
                row("CL.TE", "PUT " + head + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "6\r\nhello\n\r\n0\r\n\r\n", "AMBIGUOUS_FRAMING"),
                row("TE.CL", "PUT " + head + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                        + "5c\r\n", "AMBIGUOUS_FRAMING"),
                row("CL.TE in HTTP/1.0, the red team's desync", "PUT {T} HTTP/1.0\r\nHost: {H}\r\nContent-Length: 6\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + chunkHiding(), "AMBIGUOUS_FRAMING"),
                row("TE in HTTP/1.0", "POST {T} HTTP/1.0\r\nHost: {H}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "AMBIGUOUS_FRAMING"),
                row("TE chunked, identity", "POST " + head + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
                        "AMBIGUOUS_FRAMING"),
                row("TE xchunked with CL", "POST " + head + "Transfer-Encoding: xchunked\r\nContent-Length: 3\r\n\r\nabc",
                        "AMBIGUOUS_FRAMING"),
                row("two TE headers", "POST " + head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "0\r\n\r\n", "AMBIGUOUS_FRAMING"),
                row("two different CL", "POST " + head + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                        "BAD_REQUEST"),
                row("duplicate CL, same value", "POST " + head + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
                        "BAD_REQUEST"),
                row("CL list", "POST " + head + "Content-Length: 3, 3\r\n\r\nabc", "BAD_REQUEST"),
                row("two Host headers", "GET " + head + "Host: other.example.test\r\n\r\n", "BAD_REQUEST"),
                row("HTTP/1.2", "GET {T} HTTP/1.2\r\nHost: {H}\r\n\r\n", "BAD_REQUEST"),
                row("HTTP/2.0", "GET {T} HTTP/2.0\r\nHost: {H}\r\n\r\n", "BAD_REQUEST"),
                row("lower-case version", "GET {T} http/1.1\r\nHost: {H}\r\n\r\n", "BAD_REQUEST"),
                row("tab in the request line", "GET\t{T} HTTP/1.1\r\nHost: {H}\r\n\r\n", "BAD_REQUEST"),
                row("NUL in the request line", "GET {T}\0 HTTP/1.1\r\nHost: {H}\r\n\r\n", "BAD_REQUEST"),
                row("bare CR in a header line", "GET " + head + "X-A: a\rX-B: b\r\n\r\n", "BAD_REQUEST"),
                row("obs-fold", "GET " + head + "X-A: a\r\n b\r\n\r\n", "BAD_REQUEST"),
                row("obs-fold of Transfer-Encoding", "POST " + head + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
                        "BAD_REQUEST"),
                row("bare LF", "GET {T} HTTP/1.1\nHost: {H}\n\n", "BAD_REQUEST"),
                row("chunk size in 0x form", "POST " + head + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
                        "BAD_REQUEST"),
                row("negative chunk size", "POST " + head + "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
                        "BAD_REQUEST"),
                row("chunk size overflowing 64 bits", "POST " + head + "Transfer-Encoding: chunked\r\n\r\n"
                        + "10000000000000005\r\nhello\r\n0\r\n\r\n", "BAD_REQUEST"));
    }

    /** The red team's chunk: "hello\n" and then a whole foreign-bucket PUT, inside one chunk. */
    private static String chunkHiding() {
        String hidden = "PUT /k HTTP/1.1\r\nHost: foreign-bucket.s3.amazonaws.com\r\nContent-Length: 0\r\n\r\n";
        String data = "hello\n" + hidden;
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n0\r\n\r\n";
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("refused")
    void isRefusedWith400AndCloseAndNothingReachesTheOrigin(Path2 path, String name, String template, String reason)
            throws Exception {
        String hidden = "GET " + (path == Path2.ABSOLUTE_FORM ? "http://" + PLAIN + "/hidden" : "/hidden")
                + " HTTP/1.1\r\nHost: " + host(path) + "\r\n\r\n";
        try (Socket s = open(path)) {
            s.getOutputStream().write(bytes(path, template + hidden));
            s.getOutputStream().flush();
            String response = TunnelSockets.readHead(s.getInputStream());
            assertThat(response).as(name).startsWith("HTTP/1.1 400 ").contains("X-Sekisho-Reason: " + reason + "\r\n");
            assertThat(closedByPeer(s)).as("the connection closes").isTrue();
        }
        Map<String, Object> line = proxy.audit().await(l -> reason.equals(l.get("reason"))
                && !"CONNECT".equals(l.get("method")), Duration.ofSeconds(10));
        assertThat(line).containsEntry("verdict", "DENY");
        assertThat(origin.requests()).as("requests the origin decoded").isEmpty();
    }

    static Stream<Arguments> accepted() {
        String head = "{T} HTTP/1.1\r\nHost: {H}\r\n";
        return cases(
                row("a sized body, then a pipelined GET", "POST " + head + "Content-Length: 12\r\n\r\n"
                        + "x\r\n y\tz\r\n\r\nZ" + "GET " + head + "\r\n", "2"),
                row("chunk extensions", "POST " + head + "Transfer-Encoding: chunked\r\n\r\n"
                        + "5;name=value;q=\"quoted\"\r\nhello\r\n0;last\r\n\r\n", "1"),
                row("Transfer-Encoding: Chunked", "POST " + head + "Transfer-Encoding: Chunked\r\n\r\n"
                        + "2\r\nok\r\n0\r\n\r\n", "1"),
                row("HTTP/1.0 with Content-Length", "POST {T} HTTP/1.0\r\nHost: {H}\r\nContent-Length: 2\r\n\r\nok", "1"),
                row("an empty line before the request line", "\r\nGET " + head + "\r\n", "1"));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("accepted")
    void reachesTheOriginAsExactlyTheRequestsItHolds(Path2 path, String name, String template, String count)
            throws Exception {
        int n = Integer.parseInt(count);
        try (Socket s = open(path)) {
            s.getOutputStream().write(bytes(path, template));
            s.getOutputStream().flush();
            for (int i = 0; i < n; i++) {
                String response = TunnelSockets.readHead(s.getInputStream());
                assertThat(response).as("%s response %d", name, i).startsWith("HTTP/1.1 ");
                assertThat(response).doesNotContain("X-Sekisho-Reason");
                skipBody(s.getInputStream(), response);
            }
        }
        List<RecordedRequest> got = origin.requests();
        assertThat(got).as(name).hasSize(n);
        assertThat(got).allSatisfy(r -> assertThat(r.uri()).isEqualTo("/x"));
    }

    private static Stream<Arguments> cases(Arguments... rows) {
        return Stream.of(Path2.values()).flatMap(p -> Stream.of(rows).map(r -> {
            Object[] a = r.get();
            return Arguments.of(p, a[0], a[1], a[2]);
        }));
    }

    private static Arguments row(String name, String template, String expected) {
        return Arguments.of(name, template, expected);
    }

    private static String host(Path2 path) {
        return path == Path2.ABSOLUTE_FORM ? PLAIN : AWS;
    }

    private static byte[] bytes(Path2 path, String template) {
        String target = path == Path2.ABSOLUTE_FORM ? "http://" + PLAIN + "/x" : "/x";
        return template.replace("{T}", target).replace("{H}", host(path)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Socket open(Path2 path) throws IOException {
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);
        raw.setSoTimeout(15_000);
        if (path == Path2.ABSOLUTE_FORM) {
            return raw;
        }
        return TunnelSockets.handshake(TunnelSockets.connect(raw, AWS, 443), AWS, AWS, ca.clientContext());
    }

    /** Skips a response body framed by Content-Length (the fake origin always sends one). */
    private static void skipBody(InputStream in, String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
                return;
            }
        }
        assertThat(head).as("a response framed by Content-Length").contains("content-length");
    }

    private static boolean closedByPeer(Socket s) throws IOException {
        s.setSoTimeout(5000);
        try {
            while (s.getInputStream().read() >= 0) {
                // the rest of the 400 body
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
