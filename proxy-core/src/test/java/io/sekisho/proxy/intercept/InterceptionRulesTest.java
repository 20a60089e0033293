package io.sekisho.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.testing.ClientHellos;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an intercepted CONNECT refuses (issue 3 point 4): an SNI naming another host, bytes that
 * are not TLS, a request whose Host names another host; and what it accepts: no SNI at all.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterceptionRulesTest {
    private static final String S3 = "s3.us-east-1.amazonaws.com";

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
                .build(), TestPolicy.allowing("*").intercepting(true));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void anSniNamingAnotherHostIsRefusedWithSniMismatch() throws IOException {
        try (Socket s = TunnelSockets.connect(proxy.port(), S3, 443)) {
            s.getOutputStream().write(ClientHellos.withSni("evil.example.com"));
            s.getOutputStream().flush();
            assertThat(s.getInputStream().read()).as("connection closed without a ServerHello").isEqualTo(-1);
        }
        assertThat(proxy.audit().await(l -> "CONNECT".equals(l.get("method")) && "SNI_MISMATCH".equals(l.get("reason")),
                Duration.ofSeconds(10))).containsEntry("verdict", "DENY").containsEntry("host", S3);
    }

    @Test
    void aClientHelloWithoutSniIsServedTheConnectHostsLeaf() throws IOException {
        try (SSLSocket tls = TunnelSockets.handshake(proxy.port(), "sts.amazonaws.com", null, ca.clientContext())) {
            assertThat(tls.getSession().getPeerCertificates()[0].toString()).contains("sts.amazonaws.com");
        }
    }

    @Test
    void plainHttpWhereTlsIsRequiredIsRefusedWithNotTls() throws IOException {
        String host = "sqs.us-east-1.amazonaws.com";
        try (Socket s = TunnelSockets.connect(proxy.port(), host, 443)) {
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(in.read()).as("closed without an answer").isEqualTo(-1);
        }
        assertThat(proxy.audit().await(l -> "CONNECT".equals(l.get("method")) && host.equals(l.get("host"))
                && "NOT_TLS".equals(l.get("reason")), Duration.ofSeconds(10))).containsEntry("verdict", "DENY");
        assertThat(origin.requestsTo(host)).isEmpty();
    }

    @Test
    void aRequestWhoseHostNamesAnotherHostIsRefusedWithHostMismatch() {
        origin.clearRequests();
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", ca.pem().toString(),
                "-H", "Host: other.amazonaws.com", "https://" + S3 + "/b/k");

        assertThat(r.status()).as(r.stderr()).isEqualTo(421);
        assertThat(r.header("X-Sekisho-Reason")).isEqualTo("HOST_MISMATCH");
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void aClientThatDoesNotTrustTheProxyCaFailsTheHandshakeAndTheConnectSaysSo() {
        String host = "ec2.us-east-1.amazonaws.com";
        assertThatThrownBy(() -> TunnelSockets.handshake(proxy.port(), host, host,
                ProxyCa.create(tmp.resolve("another-ca")).clientContext()).close())
                .isInstanceOf(SSLException.class);
        Map<String, Object> line = proxy.audit().await(l -> "CONNECT".equals(l.get("method"))
                && host.equals(l.get("host")), Duration.ofSeconds(10));
        assertThat(line).containsEntry("reason", "CLIENT_TLS_FAILED");
    }

    @Test
    void aCompletedHandshakeIsAuditedAsAnAllowedConnect() throws IOException {
        String host = "lambda.us-east-1.amazonaws.com";
        try (SSLSocket tls = TunnelSockets.handshake(proxy.port(), host, host, ca.clientContext())) {
            assertThat(tls.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(tls.getApplicationProtocol()).isIn("", "http/1.1");
        }
        assertThat(proxy.audit().await("CONNECT", host)).containsEntry("verdict", "ALLOW");
    }

    @Test
    void tlsBelowOnePointTwoIsRefused() throws Exception {
        String host = "kms.us-east-1.amazonaws.com";
        javax.net.ssl.SSLContext old = ca.clientContext();
        try (Socket raw = TunnelSockets.connect(proxy.port(), host, 443);
                SSLSocket tls = (SSLSocket) old.getSocketFactory().createSocket(raw, host, 443, true)) {
            tls.setEnabledProtocols(new String[] {"TLSv1.1"});
            assertThatThrownBy(tls::startHandshake).isInstanceOf(SSLException.class);
        } catch (IllegalArgumentException e) {
            // This JDK cannot even offer TLS 1.1: nothing to test against.
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "TLSv1.1 unsupported by this JDK");
        }
    }
}
