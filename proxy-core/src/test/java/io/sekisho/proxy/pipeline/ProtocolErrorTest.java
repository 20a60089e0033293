package io.sekisho.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests the proxy refuses before any policy: each with its status, reason, audit line and close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtocolErrorTest {
    private ProxyFixture proxy;

    @BeforeEach
    void start() {
        proxy = ProxyFixture.start(TestConfigs.builder().limits(8192, 64, 2048)
                .requestHeaderTimeout(Duration.ofMillis(500)).build(), TestPolicy.allowing("*"));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    static Stream<Arguments> refusals() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        return Stream.of(
                Arguments.of("headers over maxHeaderBytes",
                        "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n",
                        "431", "HEADERS_TOO_LARGE"),
                Arguments.of("more headers than maxHeaderCount",
                        "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n" + many + "\r\n", "431", "HEADERS_TOO_LARGE"),
                Arguments.of("request line over maxInitialLineBytes",
                        "GET http://a.test/" + "p".repeat(3000) + " HTTP/1.1\r\nHost: a.test\r\n\r\n",
                        "414", "REQUEST_LINE_TOO_LONG"),
                Arguments.of("malformed request line", "THIS IS NOT HTTP\r\n\r\n", "400", "BAD_REQUEST"),
                Arguments.of("origin-form request for the proxy itself", "GET / HTTP/1.1\r\nHost: proxy\r\n\r\n",
                        "400", "NOT_A_PROXY_REQUEST"),
                Arguments.of("userinfo in the URI", "GET http://user:pw@a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n",
                        "400", "BAD_REQUEST"),
                Arguments.of("CONNECT without a port", "CONNECT a.test HTTP/1.1\r\n\r\n", "400", "BAD_REQUEST"),
                Arguments.of("unsupported scheme", "GET ftp://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n",
                        "400", "BAD_REQUEST"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void isRefusedWithItsReasonAndAuditedAndTheConnectionCloses(String name, String request, String status,
            String reason) throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            String head = c.send(request).readHead();
            assertThat(head).startsWith("HTTP/1.1 " + status + " ").contains("X-Sekisho-Reason: " + reason + "\r\n");
            assertThat(c.closedByPeer(5000)).isTrue();
        }
        Map<String, Object> line = proxy.audit().await(l -> reason.equals(l.get("reason")), Duration.ofSeconds(10));
        assertThat(line).containsEntry("verdict", "DENY");
    }

    @Test
    void aRequestHeadThatNeverCompletesGets408() throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            String head = c.send("GET http://a.test/ HTTP/1.1\r\nHost: a.te").readHead();
            assertThat(head).startsWith("HTTP/1.1 408 ").contains("X-Sekisho-Reason: REQUEST_HEADER_TIMEOUT");
            assertThat(c.closedByPeer(5000)).isTrue();
        }
        assertThat(proxy.audit().await(l -> "REQUEST_HEADER_TIMEOUT".equals(l.get("reason")), Duration.ofSeconds(10)))
                .containsEntry("verdict", "DENY");
    }

    @Test
    void aConnectionThatSendsNothingGets408Too() throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            assertThat(c.readHead()).startsWith("HTTP/1.1 408 ");
        }
    }
}
