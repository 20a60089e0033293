package io.sekisho.proxy.h2;

import static io.sekisho.proxy.h2.RawH2Client.GOAWAY;
import static io.sekisho.proxy.h2.RawH2Client.PING;
import static io.sekisho.proxy.h2.RawH2Client.RST_STREAM;
import static io.sekisho.proxy.h2.RawH2Client.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.e2e.TestPki;
import io.sekisho.policy.BodyNeed;
import io.sekisho.proxy.h2.RawH2Client.Frame;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful shutdown of an HTTP/2 client connection, seen by a raw client (RawH2Client): when the
 * drain begins the connection gets GOAWAY NO_ERROR naming the last stream the client opened; a
 * stream opened after it is refused and never reaches the origin; the open stream runs to its
 * end, and then the connection closes, well before the drain period is over.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class Http2DrainTest {
    private static final String S3 = "s3.us-east-1.amazonaws.com";

    @TempDir
    Path tmp;
    FakeAwsOrigin origin;
    ProxyCa ca;
    ProxyFixture proxy;

    @BeforeEach
    void start() {
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        proxy = ProxyFixture.start(TestConfigs.builder()
                .resolve(".amazonaws.com", origin.httpsPort())
                .interceptWith(ca.pem(), ca.key())
                .trust(originPki.caPem())
                // How long an HTTP/2 connection's graceful close waits for its streams.
                .shutdownDrain(Duration.ofSeconds(60))
                .build(), TestPolicy.allowing("*").intercepting(true)
                        // The open stream waits for its body, which policy asks for.
                        .inspectBodies(f -> f.path().contains("/held-") ? BodyNeed.whole(64) : BodyNeed.NONE));
    }

    @AfterEach
    void stop() {
        proxy.close();
        origin.close();
    }

    private boolean originSaw(String pathPart) {
        return origin.requests().stream().map(RecordedRequest::uri).anyMatch(u -> u.contains(pathPart));
    }

    @Test
    void drainSendsGoAwayRefusesNewStreamsAndLetsTheOpenStreamFinish() throws Exception {
        try (RawH2Client c = RawH2Client.open(proxy.port(), S3, ca.clientContext())) {
            assertThat(c.await(f -> f.type() == SETTINGS && f.flags() == 0, Duration.ofSeconds(10))).isNotNull();
            c.headers(1, new DefaultHttp2Headers(false).method("PUT").scheme("https").authority(S3)
                    .path("/sekisho-test-bucket/held-drain").add("content-length", "5"), false);
            // The PING's ACK comes after the proxy has read the HEADERS before it: stream 1 is open.
            c.frame(PING, 0, 0, new byte[8]);
            assertThat(c.await(f -> f.type() == PING && f.flags() == RawH2Client.ACK, Duration.ofSeconds(10)))
                    .isNotNull();

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
                    () -> proxy.server().shutdown(Duration.ofSeconds(60)));

            Frame goAway = c.await(f -> f.type() == GOAWAY || f.type() < 0, Duration.ofSeconds(15));
            assertThat(goAway).isNotNull();
            assertThat(goAway.type()).isEqualTo(GOAWAY);
            assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
            assertThat(goAway.lastStreamId()).isEqualTo(1);

            c.headers(3, new DefaultHttp2Headers(false).method("GET").scheme("https").authority(S3)
                    .path("/sekisho-test-bucket/after-goaway"), true);
            Frame refused = c.await(f -> (f.type() == RST_STREAM && f.stream() == 3) || f.type() < 0,
                    Duration.ofSeconds(15));
            assertThat(refused).isNotNull();
            assertThat(refused.type()).isEqualTo(RST_STREAM);
            assertThat(refused.errorCode()).isEqualTo(Http2Error.REFUSED_STREAM.code());

            c.data(1, "hello".getBytes(StandardCharsets.US_ASCII), true);
            assertThat(c.awaitStatus(1)).isEqualTo("200");
            assertThat(c.await(f -> f.type() < 0, Duration.ofSeconds(15))).as("the connection closes").isNotNull();
            shutdown.get(30, TimeUnit.SECONDS);
        }
        assertThat(originSaw("held-drain")).isTrue();
        assertThat(originSaw("after-goaway")).isFalse();
    }
}
