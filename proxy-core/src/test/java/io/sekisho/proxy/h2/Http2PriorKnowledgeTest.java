package io.sekisho.proxy.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 with prior knowledge (no ALPN, the AWS SDK for Java's default) through an interception,
 * with the preface and SETTINGS in the same TCP segment as the client's TLS Finished, as a Netty
 * client sends them: the proxy must answer with its SETTINGS, whether the host's leaf was still
 * being minted when the ClientHello came or was cached, and when a record followed the
 * ClientHello while the leaf was being minted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Http2PriorKnowledgeTest {
    private static final int CONNECTIONS = 12;

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static ProxyCa ca;
    static ProxyFixture proxy;
    static final GatedRandom random = new GatedRandom();

    /** Leaf minting draws from it: once closed, a mint waits until the test opens it again. */
    static final class GatedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private transient volatile CountDownLatch gate = new CountDownLatch(0);

        void close() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.nextBytes(bytes);
        }
    }

    @BeforeAll
    static void start() {
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        proxy = ProxyFixture.start(TestConfigs.builder()
                .resolve(".amazonaws.com", origin.httpsPort())
                .interceptWith(ca.pem(), ca.key())
                .trust(originPki.caPem())
                .build(), TestPolicy.allowing("*").intercepting(true), new FakeResolver(),
                b -> b.secureRandom(random));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    private static byte[] prefaceAndSettings() {
        byte[] first = new byte[PriorKnowledgeClient.PREFACE.length + PriorKnowledgeClient.EMPTY_SETTINGS.length];
        System.arraycopy(PriorKnowledgeClient.PREFACE, 0, first, 0, PriorKnowledgeClient.PREFACE.length);
        System.arraycopy(PriorKnowledgeClient.EMPTY_SETTINGS, 0, first, PriorKnowledgeClient.PREFACE.length,
                PriorKnowledgeClient.EMPTY_SETTINGS.length);
        return first;
    }

    private static void answeredWithSettings(String host) throws Exception {
        answeredWithSettings(host, PriorKnowledgeClient.NOTHING);
    }

    private static void answeredWithSettings(String host, PriorKnowledgeClient.AfterClientHello afterHello)
            throws Exception {
        try (PriorKnowledgeClient c = PriorKnowledgeClient.open(proxy.port(), host, ca.clientContext(),
                prefaceAndSettings(), afterHello)) {
            assertThat(c.await(RawH2Client.SETTINGS, Duration.ofSeconds(10))).as(host).isEqualTo(RawH2Client.SETTINGS);
        }
    }

    @Test
    void aLeafStillMintingWhenTheClientHelloCame() throws Exception {
        for (int i = 0; i < CONNECTIONS; i++) {
            answeredWithSettings("cold-" + i + ".s3.us-east-1.amazonaws.com");
        }
    }

    /**
     * A ChangeCipherSpec right after the ClientHello (RFC 8446 D.4 allows it there), read while the
     * leaf is still being minted: it must wait with the ClientHello, not take the ClientHello with
     * it when it is dropped.
     */
    @Test
    void aRecordAfterTheClientHelloWhileTheLeafMints() throws Exception {
        random.close();
        answeredWithSettings("gated.s3.us-east-1.amazonaws.com", out -> {
            out.write(PriorKnowledgeClient.CHANGE_CIPHER_SPEC);
            out.flush();
            // Ordering, not timing: the proxy reads the record while the mint waits for the gate.
            Thread.sleep(300);
            random.open();
            return true;
        });
    }

    @Test
    void aCachedLeaf() throws Exception {
        answeredWithSettings("warm.s3.us-east-1.amazonaws.com");
        for (int i = 0; i < CONNECTIONS; i++) {
            answeredWithSettings("warm.s3.us-east-1.amazonaws.com");
        }
    }
}
