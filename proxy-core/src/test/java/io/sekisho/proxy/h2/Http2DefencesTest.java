package io.sekisho.proxy.h2;

import static io.sekisho.proxy.h2.RawH2Client.CONTINUATION;
import static io.sekisho.proxy.h2.RawH2Client.GOAWAY;
import static io.sekisho.proxy.h2.RawH2Client.HEADERS;
import static io.sekisho.proxy.h2.RawH2Client.PING;
import static io.sekisho.proxy.h2.RawH2Client.RST_STREAM;
import static io.sekisho.proxy.h2.RawH2Client.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.policy.BodyNeed;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.h2.RawH2Client.Frame;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each HTTP/2 defence against a raw client that writes the frames itself (RawH2Client): a
 * malformed header block or a body that disagrees with its Content-Length never reaches the
 * HTTP/1.1 origin, and each flood limit of Http2Limits ends the connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Http2DefencesTest {
    private static final String S3 = "s3.us-east-1.amazonaws.com";
    private static final long PROTOCOL_ERROR = Http2Error.PROTOCOL_ERROR.code();
    private static final long ENHANCE_YOUR_CALM = Http2Error.ENHANCE_YOUR_CALM.code();

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
                .resolve(".amazonaws.com", origin.httpsPort())
                .interceptWith(ca.pem(), ca.key())
                .trust(originPki.caPem())
                .build(), TestPolicy.allowing("*").intercepting(true)
                        // The held streams of the concurrency test wait for the policy, not for an upstream.
                        .inspectBodies(f -> f.path().contains("/held-") ? BodyNeed.whole(64) : BodyNeed.NONE));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    static RawH2Client client() throws IOException {
        return RawH2Client.open(proxy.port(), S3, ca.clientContext());
    }

    static Http2Headers get(String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("https").authority(S3).path(path);
    }

    private static boolean originSaw(String pathPart) {
        return origin.requests().stream().map(RecordedRequest::uri).anyMatch(u -> u.contains(pathPart));
    }

    @Test
    void aWellFormedRequestIsAnswered() throws Exception {
        try (RawH2Client c = client()) {
            c.headers(1, get("/sekisho-test-bucket/raw-ok"), true);

            assertThat(c.awaitStatus(1)).matches("\\d{3}");
            assertThat(originSaw("/raw-ok")).isTrue();
        }
    }

    static java.util.stream.Stream<Arguments> malformed() {
        return java.util.stream.Stream.of(
                Arguments.of("CR LF in a value", (Consumer<Http2Headers>) h -> h.add("x-a", "1\r\nx-smuggled: 1")),
                Arguments.of("NUL in a value", (Consumer<Http2Headers>) h -> h.add("x-a", "1\u0000")),
                Arguments.of("upper-case name", (Consumer<Http2Headers>) h -> h.add("X-Upper", "1")),
                Arguments.of("connection", (Consumer<Http2Headers>) h -> h.add("connection", "keep-alive")),
                Arguments.of("transfer-encoding", (Consumer<Http2Headers>) h -> h.add("transfer-encoding", "chunked")),
                Arguments.of("te other than trailers", (Consumer<Http2Headers>) h -> h.add("te", "gzip")),
                Arguments.of("no :scheme", (Consumer<Http2Headers>) h -> h.remove(":scheme")),
                Arguments.of("unknown pseudo-header", (Consumer<Http2Headers>) h -> h.add(":foo", "x")),
                Arguments.of(":authority and host differ", (Consumer<Http2Headers>) h -> h.add("host", "evil.test")),
                Arguments.of("two content-lengths", (Consumer<Http2Headers>) h -> h.add("content-length", "0")
                        .add("content-length", "5")),
                Arguments.of("CONNECT", (Consumer<Http2Headers>) h -> {
                    h.method("CONNECT").remove(":path");
                    h.remove(":scheme");
                }),
                Arguments.of(":scheme http", (Consumer<Http2Headers>) h -> h.scheme("http")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedHeaderBlockIsRefusedBeforeTheOrigin(String name, Consumer<Http2Headers> spoil) throws Exception {
        String path = "/sekisho-test-bucket/malformed-" + name.replace(' ', '-').replace(':', '_');
        Http2Headers h = get(path);
        spoil.accept(h);
        try (RawH2Client c = client()) {
            c.headers(1, h, true);

            Frame f = c.awaitResetOrGoAway(1);
            assertThat(f).as(name).isNotNull();
            assertThat(f.type()).as(name).isIn(RST_STREAM, GOAWAY);
            assertThat(f.errorCode()).as(name).isEqualTo(PROTOCOL_ERROR);
        }
        assertThat(originSaw(path)).as(name).isFalse();
    }

    @Test
    void aPseudoHeaderAfterARegularFieldIsRefused() throws Exception {
        try (RawH2Client c = client()) {
            byte[] regular = c.block(new DefaultHttp2Headers(false).add("x-first", "1"));
            byte[] pseudo = c.block(get("/sekisho-test-bucket/pseudo-late"));
            byte[] block = new byte[regular.length + pseudo.length];
            System.arraycopy(regular, 0, block, 0, regular.length);
            System.arraycopy(pseudo, 0, block, regular.length, pseudo.length);
            c.frame(HEADERS, RawH2Client.END_HEADERS | RawH2Client.END_STREAM, 1, block);

            Frame f = c.awaitResetOrGoAway(1);
            assertThat(f).isNotNull();
            assertThat(f.errorCode()).isEqualTo(PROTOCOL_ERROR);
        }
        assertThat(originSaw("pseudo-late")).isFalse();
    }

    @Test
    void dataBeyondContentLengthResetsTheStreamAndNothingIsSmuggled() throws Exception {
        try (RawH2Client c = client()) {
            c.headers(1, new DefaultHttp2Headers(false).method("POST").scheme("https").authority(S3)
                    .path("/sekisho-test-bucket/cl-long").add("content-length", "5"), false);
            c.data(1, ("hello" + "GET /sekisho-test-bucket/smuggled HTTP/1.1\r\nHost: " + S3 + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII), true);

            Frame f = c.awaitResetOrGoAway(1);
            assertThat(f).isNotNull();
            assertThat(f.type()).isEqualTo(RST_STREAM);
            assertThat(f.errorCode()).isEqualTo(PROTOCOL_ERROR);
        }
        assertThat(originSaw("smuggled")).isFalse();
        assertThat(originSaw("cl-long")).isFalse();
    }

    @Test
    void aBodyShorterThanContentLengthResetsTheStream() throws Exception {
        try (RawH2Client c = client()) {
            c.headers(1, new DefaultHttp2Headers(false).method("POST").scheme("https").authority(S3)
                    .path("/sekisho-test-bucket/cl-short").add("content-length", "10"), false);
            c.data(1, "hello".getBytes(StandardCharsets.US_ASCII), true);

            Frame f = c.awaitResetOrGoAway(1);
            assertThat(f).isNotNull();
            assertThat(f.type()).isEqualTo(RST_STREAM);
            assertThat(f.errorCode()).isEqualTo(PROTOCOL_ERROR);
        }
    }

    @Test
    void rapidResetEndsTheConnection() throws Exception {
        try (RawH2Client c = client()) {
            int stream = 1;
            for (int i = 0; i <= Http2Limits.MAX_RST_PER_WINDOW + 20 && !c.ended(); i++, stream += 2) {
                c.headers(stream, get("/sekisho-test-bucket/rr-" + i), false);
                c.reset(stream, (int) Http2Error.CANCEL.code());
            }

            Frame f = c.await(x -> x.type() == GOAWAY, Duration.ofSeconds(15));
            assertThat(f).isNotNull();
            assertThat(f.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aContinuationFloodEndsTheConnection() throws Exception {
        try (RawH2Client c = client()) {
            byte[] first = c.block(get("/sekisho-test-bucket/continuation"));
            c.frame(HEADERS, 0, 1, first);
            byte[] filler = c.block(new DefaultHttp2Headers(false).add("x-filler", "f".repeat(4000)));
            int sent = 0;
            try {
                // Up to ~69 MB of header block: far more than the loopback socket buffers hold, so
                // the flood can only stop short of it because the proxy ended the connection.
                for (; sent < 30_000 && !c.ended(); sent++) {
                    c.frame(CONTINUATION, 0, 1, filler);
                }
            } catch (IOException closed) {
                // The proxy closed the connection under the flood: that is the defence.
            }

            assertThat(c.endedWithin(Duration.ofSeconds(15))).isTrue();
            // What was written before the end sits mostly in the kernel's socket buffers (a few MiB
            // on loopback, more under load), never in the proxy: it refused at maxHeaderBytes.
            assertThat((long) sent * filler.length).as("bytes of header block sent before the end")
                    .isLessThan(16L * 1024 * 1024);
        }
        assertThat(originSaw("continuation")).isFalse();
    }

    @Test
    void aPingFloodEndsTheConnection() throws Exception {
        floodEnds(PING, new byte[8]);
    }

    @Test
    void aSettingsFloodEndsTheConnection() throws Exception {
        floodEnds(SETTINGS, new byte[0]);
    }

    private static void floodEnds(int type, byte[] payload) throws Exception {
        try (RawH2Client c = client()) {
            for (int i = 0; i <= Http2Limits.MAX_CONTROL_FRAMES_PER_WINDOW + 10 && !c.ended(); i++) {
                c.frame(type, 0, 0, payload);
            }

            Frame f = c.await(x -> x.type() == GOAWAY, Duration.ofSeconds(15));
            assertThat(f).isNotNull();
            assertThat(f.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void emptyDataFramesEndTheConnection() throws Exception {
        try (RawH2Client c = client()) {
            c.headers(1, new DefaultHttp2Headers(false).method("POST").scheme("https").authority(S3)
                    .path("/sekisho-test-bucket/empty-data"), false);
            for (int i = 0; i <= Http2Limits.MAX_CONSECUTIVE_EMPTY_DATA + 3 && !c.ended(); i++) {
                c.data(1, new byte[0], false);
            }

            Frame f = c.await(x -> x.type() == GOAWAY, Duration.ofSeconds(15));
            assertThat(f).isNotNull();
            assertThat(f.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aStreamBeyondTheConcurrencyLimitIsRefused() throws Exception {
        try (RawH2Client c = client()) {
            assertThat(c.await(x -> x.type() == SETTINGS && x.flags() == 0, Duration.ofSeconds(10))).isNotNull();
            int stream = 1;
            for (int i = 0; i < Http2Limits.MAX_CONCURRENT_STREAMS; i++, stream += 2) {
                // Bodies announced and never sent: each stream stays open.
                c.headers(stream, new DefaultHttp2Headers(false).method("POST").scheme("https").authority(S3)
                        .path("/sekisho-test-bucket/held-" + i).add("content-length", "10"), false);
            }
            c.headers(stream, get("/sekisho-test-bucket/one-too-many"), true);
            int refused = stream;

            Frame f = c.await(x -> (x.type() == RST_STREAM && x.stream() == refused) || x.type() == GOAWAY,
                    Duration.ofSeconds(20));
            assertThat(f).isNotNull();
            assertThat(f.type()).isEqualTo(RST_STREAM);
            assertThat(f.errorCode()).isEqualTo(Http2Error.REFUSED_STREAM.code());
        }
        assertThat(originSaw("one-too-many")).isFalse();
    }
}
