package io.sekisho.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every log line (all loggers at DEBUG, exceptions included) written while the proxy starts
 * with a password-protected CA, mints leaves, intercepts, and fails upstream and client
 * handshakes: no PEM private key, no line of the CA key's base64, no password. And the start-up
 * warning for a CA that expires within 30 days.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NoKeyMaterialInLogsTest {
    private static final String PASSWORD = "correct-horse-battery-staple-42";

    @TempDir
    Path tmp;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger root;
    private Level rootLevel;

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        root.setLevel(rootLevel);
    }

    @Test
    void interceptingAndFailingLeavesNoKeyMaterialInTheLogs() throws Exception {
        CaInit.Summary ca = new CaInit(Clock.systemUTC(), new SecureRandom()).create(tmp.resolve("ca"),
                KeyType.EC_P256, "logs");
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        Path passwordFile = Files.writeString(tmp.resolve("password"), PASSWORD);
        try (FakeAwsOrigin origin = FakeAwsOrigin.start(originPki);
                FakeAwsOrigin expired = FakeAwsOrigin.builder(originPki)
                        .certificateMode(FakeAwsOrigin.CertificateMode.EXPIRED).start();
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder()
                        .resolve(".amazonaws.com", origin.httpsPort())
                        .resolve("expired.amazonaws.com", expired.httpsPort())
                        // A PKCS#8 key read with a password file that is not needed: the password
                        // is still read and cleared, and must not be logged either.
                        .tls(new io.sekisho.config.SekishoConfig.Tls(ca.pemFile(), ca.keyFile(), null,
                                new io.sekisho.config.SekishoConfig.Secret(null, passwordFile), "ec-p256",
                                Duration.ofDays(7), 100))
                        .trust(originPki.caPem())
                        .build(), TestPolicy.allowing("*").intercepting(true))) {
            String cacert = ca.pemFile().toString();
            assertThat(Curl.viaProxy(proxy.url(), "--cacert", cacert, "https://s3.amazonaws.com/b/").status())
                    .isEqualTo(200);
            assertThat(Curl.viaProxy(proxy.url(), "--cacert", cacert, "https://expired.amazonaws.com/").status())
                    .isEqualTo(502);
            // A client that does not trust the proxy's CA.
            assertThat(Curl.viaProxy(proxy.url(), "https://sts.amazonaws.com/").exitCode()).isNotZero();
            proxy.audit().await("CONNECT", "sts.amazonaws.com");
        }

        String logs = captured.list.stream().map(NoKeyMaterialInLogsTest::render).collect(Collectors.joining("\n"));
        assertThat(logs).as("the scenario logged something").contains("TLS interception on");
        assertThat(logs).doesNotContain("PRIVATE KEY", PASSWORD);
        for (String base64Line : keyBase64Lines(ca.keyFile())) {
            assertThat(logs).doesNotContain(base64Line);
        }
    }

    @Test
    void aCaExpiringWithinThirtyDaysIsWarnedAboutAtStartUp() throws Exception {
        // Made ten years minus ten days ago: valid for ten more days.
        Clock then = Clock.fixed(Instant.now().minus(Duration.ofDays(3652 - 10)), ZoneOffset.UTC);
        CaInit.Summary ca = new CaInit(then, new SecureRandom()).create(tmp.resolve("ca"), KeyType.EC_P256, "old");
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().interceptWith(ca.pemFile(), ca.keyFile())
                .build(), TestPolicy.allowing("*").intercepting(true))) {
            assertThat(captured.list).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("the interception CA", "expires on");
            });
        }
    }

    private static String render(ILoggingEvent e) {
        String t = e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy());
        return e.getLoggerName() + " " + e.getFormattedMessage() + " " + t;
    }

    private static List<String> keyBase64Lines(Path keyPem) throws Exception {
        return Files.readAllLines(keyPem).stream().filter(l -> !l.startsWith("-----") && l.length() >= 16).toList();
    }
}
