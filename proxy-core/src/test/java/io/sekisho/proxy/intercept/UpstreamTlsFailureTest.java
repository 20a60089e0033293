package io.sekisho.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.FakeAwsOrigin.CertificateMode;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Upstream TLS is always verified (issue 3 point 5): each way an upstream can fail becomes its
 * own reason code, in X-Sekisho-Reason and in the audit line, and nothing reaches the client
 * from an upstream that failed verification.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamTlsFailureTest {
    private static final String HOST = "s3.eu-west-1.amazonaws.com";

    /** The bad upstreams, each started for one row. */
    enum Upstream { EXPIRED, WRONG_HOST, SELF_SIGNED, PLAIN_HTTP, CLOSED_PORT, SILENT }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            EXPIRED     | 502 | UPSTREAM_CERT_INVALID
            WRONG_HOST  | 502 | UPSTREAM_CERT_INVALID
            SELF_SIGNED | 502 | UPSTREAM_CERT_INVALID
            PLAIN_HTTP  | 502 | UPSTREAM_TLS_FAILED
            CLOSED_PORT | 502 | UPSTREAM_CONNECT_FAILED
            SILENT      | 504 | UPSTREAM_TIMEOUT
            """)
    void aBadUpstreamIsA5xxWithItsReason(Upstream kind, int status, String reason) throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("origin-pki"));
        ProxyCa ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        try (BadUpstream upstream = BadUpstream.start(kind, pki);
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder()
                        .resolve(HOST, upstream.port())
                        .interceptWith(ca.pem(), ca.key())
                        .trust(pki.caPem())
                        .tlsHandshakeTimeout(Duration.ofSeconds(3)) // a cold first handshake on a loaded machine takes over 1 s
                        .build(), TestPolicy.allowing("*").intercepting(true))) {
            Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", ca.pem().toString(), "https://" + HOST + "/b/k");

            assertThat(r.status()).as(r.stderr()).isEqualTo(status);
            assertThat(r.header("X-Sekisho-Reason")).isEqualTo(reason);
            Map<String, Object> line = proxy.audit().await("GET", HOST);
            assertThat(line).containsEntry("verdict", "DENY").containsEntry("reason", reason);
            if (!kind.equals(Upstream.CLOSED_PORT)) {
                // The cause is named by its exception class, never by wire data or a message.
                assertThat(String.valueOf(line.get("rule"))).matches("[A-Za-z0-9$]*(Exception|Error)");
            }
            assertThat(upstream.requestsFor("/b/k")).as("the request never reached the upstream").isZero();
        }
    }

    /** One misbehaving upstream on 127.0.0.1. */
    private static final class BadUpstream implements AutoCloseable {
        private final FakeAwsOrigin tls;
        private final RecordingOrigin plain;
        private final ServerSocket silent;
        private final int port;

        private BadUpstream(FakeAwsOrigin tls, RecordingOrigin plain, ServerSocket silent, int port) {
            this.tls = tls;
            this.plain = plain;
            this.silent = silent;
            this.port = port;
        }

        static BadUpstream start(Upstream kind, TestPki pki) throws Exception {
            switch (kind) {
                case PLAIN_HTTP:
                    RecordingOrigin plain = new RecordingOrigin();
                    return new BadUpstream(null, plain, null, plain.port());
                case CLOSED_PORT:
                    int free;
                    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                        free = s.getLocalPort();
                    }
                    return new BadUpstream(null, null, null, free);
                case SILENT:
                    // Accepts (the kernel completes the TCP handshake) and never says a word.
                    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                    return new BadUpstream(null, null, silent, silent.getLocalPort());
                default:
                    FakeAwsOrigin o = FakeAwsOrigin.builder(pki)
                            .certificateMode(CertificateMode.valueOf(kind.name())).start();
                    return new BadUpstream(o, null, null, o.httpsPort());
            }
        }

        int port() {
            return port;
        }

        /** A plain-HTTP origin records the proxy's ClientHello as a garbled request: count by URI. */
        long requestsFor(String uri) {
            if (tls != null) {
                return tls.requests().stream().filter(r -> r.uri().equals(uri)).count();
            }
            return plain != null ? plain.requests().stream().filter(r -> uri.equals(r.uri())).count() : 0;
        }

        @Override
        public void close() throws IOException {
            if (tls != null) {
                tls.close();
            }
            if (plain != null) {
                plain.close();
            }
            if (silent != null) {
                silent.close();
            }
        }
    }
}
