package io.sekisho.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line (all loggers, DEBUG) while a CA is created, loaded and used to mint,
 * and proves that no private key — as PEM, base64, hex or number — reaches any of them.
 */
class NoKeyMaterialInLogsTest {

    @TempDir
    Path dir;

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void capture() {
        previousLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        root.setLevel(previousLevel);
    }

    @Test
    void creatingLoadingAndMintingLogNoKeyMaterial() throws Exception {
        List<PrivateKey> keys = new ArrayList<>();
        List<String> exceptionMessages = new ArrayList<>();

        CaInit.Summary summary = new CaInit(Clock.systemUTC(), new SecureRandom())
                .create(dir.resolve("ca"), KeyType.EC_P256, "log-test");
        CertificateAuthority ca = CertificateAuthority.fromPem(summary.pemFile(), summary.keyFile(), null,
                Clock.systemUTC());
        keys.add(ca.privateKey());

        Path encrypted = TestPki.write(dir.resolve("enc.pem"),
                KeyFiles.encryptedPkcs8(ca.privateKey(), "right".toCharArray()));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(summary.pemFile(), encrypted, "wrong".toCharArray(),
                Clock.systemUTC())).isInstanceOfSatisfying(CaException.class, e -> exceptionMessages.add(e.getMessage()));

        for (KeyType type : List.of(KeyType.EC_P256, KeyType.RSA_2048)) {
            LeafMinter minter = new LeafMinter(ca, type, LeafMinter.DEFAULT_LIFETIME, Clock.systemUTC(),
                    new SecureRandom());
            for (TlsProvider provider : TlsProvider.values()) {
                if (provider.isAvailable()) {
                    Leaf leaf = minter.mint(type + "." + provider + ".example");
                    keys.add(leaf.privateKey());
                    ServerTls.create(leaf, provider);
                }
            }
        }

        ExecutorService executor = LeafCache.newMintExecutor(1);
        try {
            LeafCache cache = new LeafCache(LeafCache.minting(new LeafMinter(ca, Clock.systemUTC(),
                    new SecureRandom()), TlsProvider.preferred()), executor, 10, Clock.systemUTC());
            cache.serverTlsFor("cached.example").get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> cache.serverTlsFor("not a host").get(30, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(IllegalArgumentException.class);
        } finally {
            executor.shutdownNow();
        }

        String log = allLines();
        assertThat(log).as("the capture saw our own lines").contains("CA loaded").contains("minted")
                .contains("minting a leaf for not a host failed");
        for (String text : concat(log, exceptionMessages, summary.describe())) {
            assertThat(text).doesNotContain("PRIVATE KEY");
            for (PrivateKey key : keys) {
                for (String secret : forms(key)) {
                    assertThat(text).doesNotContain(secret);
                }
            }
        }
        for (String line : Files.readString(summary.keyFile()).split("\n")) {
            if (!line.startsWith("-----")) {
                assertThat(log).doesNotContain(line);
            }
        }
    }

    /** Ways a key could be printed: base64 and hex of its encoding, its secret number in hex and decimal. */
    private static List<String> forms(PrivateKey key) {
        List<String> forms = new ArrayList<>();
        byte[] encoded = key.getEncoded();
        forms.add(Base64.getEncoder().encodeToString(encoded));
        forms.add(Base64.getEncoder().encodeToString(encoded).substring(40, 80));
        forms.add(HexFormat.of().formatHex(encoded));
        if (key instanceof ECPrivateKey ec) {
            forms.add(ec.getS().toString(16));
            forms.add(ec.getS().toString());
        }
        if (key instanceof RSAPrivateCrtKey rsa) {
            forms.add(rsa.getPrivateExponent().toString(16));
            forms.add(rsa.getPrivateExponent().toString());
            forms.add(rsa.getPrimeP().toString(16));
        }
        return forms;
    }

    private String allLines() {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent event : captured.list) {
            all.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                all.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
            }
        }
        return all.toString();
    }

    private static List<String> concat(String log, List<String> messages, String summary) {
        List<String> all = new ArrayList<>(messages);
        all.add(log);
        all.add(summary);
        return all;
    }
}
