package io.sekisho.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leaf a real TLS client receives through the proxy (issue 3 point 3), parsed from the
 * handshake; and one mint for a new host however many CONNECTs ask for it at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServedLeafTest {
    private static final Duration LIFETIME = Duration.ofDays(7);

    @TempDir
    static Path tmp;
    static RecordingOrigin origin;
    static ProxyCa ca;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws InterruptedException {
        origin = new RecordingOrigin();
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        proxy = ProxyFixture.start(TestConfigs.builder()
                .resolve(".example.com", origin.port())
                .interceptWith(ca.pem(), ca.key())
                .build(), TestPolicy.allowing("*").intercepting(true));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void theServedLeafHasEveryPropertyOfPointThree() throws Exception {
        String host = "leaf.example.com";
        Instant before = Instant.now();
        Certificate[] chain;
        try (SSLSocket tls = TunnelSockets.handshake(proxy.port(), host, host, ca.clientContext())) {
            chain = tls.getSession().getPeerCertificates();
        }
        X509Certificate leaf = (X509Certificate) chain[0];
        X509Certificate caCert = ca.certificate();

        assertThat(chain).as("leaf then the CA").hasSize(2);
        assertThat(chain[1]).isEqualTo(caCert);
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, host));
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(caCert.getSubjectX500Principal());
        leaf.verify(caCert.getPublicKey());
        assertThat(leaf.getPublicKey().getEncoded()).as("own key, never the CA's")
                .isNotEqualTo(caCert.getPublicKey().getEncoded());
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(leaf.getSerialNumber()).isPositive().isGreaterThan(BigInteger.TWO.pow(64));
        assertThat(authorityKeyId(leaf)).isEqualTo(subjectKeyId(caCert));
        assertThat(subjectKeyId(leaf)).isNotEmpty();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        assertThat(notBefore).as("backdated about an hour").isBefore(before.minus(Duration.ofMinutes(50)))
                .isAfter(before.minus(Duration.ofMinutes(70)));
        assertThat(Duration.between(notBefore, notAfter)).as("no longer than configured plus the backdate")
                .isLessThanOrEqualTo(LIFETIME.plusHours(1));
    }

    @Test
    void aHundredConcurrentConnectsToANewHostMintOnce() throws Exception {
        String host = "single-flight.example.com";
        long mintsBefore = proxy.server().services().tls().interception().mintCount();
        int n = 100;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<byte[]>> keys = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                keys.add(pool.submit(() -> {
                    go.await();
                    try (SSLSocket tls = TunnelSockets.handshake(proxy.port(), host, host, ca.clientContext())) {
                        return tls.getSession().getPeerCertificates()[0].getPublicKey().getEncoded();
                    }
                }));
            }
            go.countDown();
            byte[] first = keys.get(0).get(60, TimeUnit.SECONDS);
            for (Future<byte[]> k : keys) {
                assertThat(Arrays.equals(k.get(60, TimeUnit.SECONDS), first)).as("one leaf for all").isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(proxy.server().services().tls().interception().mintCount() - mintsBefore).isEqualTo(1);
    }

    /**
     * RFC 5280 §4.2.1.1: OCTET STRING { SEQUENCE { [0] keyIdentifier ... } }. Short DER lengths
     * only, which is what a 20-byte identifier takes.
     */
    private static byte[] authorityKeyId(X509Certificate c) {
        byte[] ext = c.getExtensionValue("2.5.29.35");
        assertThat(ext).as("AKI present").isNotNull();
        int seq = 2;
        assertThat(ext[seq] & 0xff).isEqualTo(0x30);
        int tag = seq + 2;
        assertThat(ext[tag] & 0xff).as("[0] keyIdentifier").isEqualTo(0x80);
        return Arrays.copyOfRange(ext, tag + 2, tag + 2 + (ext[tag + 1] & 0xff));
    }

    /** RFC 5280 §4.2.1.2: OCTET STRING { OCTET STRING keyIdentifier }. */
    private static byte[] subjectKeyId(X509Certificate c) {
        byte[] ext = c.getExtensionValue("2.5.29.14");
        assertThat(ext).as("SKI present").isNotNull();
        assertThat(ext[2] & 0xff).isEqualTo(0x04);
        return Arrays.copyOfRange(ext, 4, 4 + (ext[3] & 0xff));
    }
}
