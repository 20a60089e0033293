package io.sekisho.proxy.reload;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.CORPORATE_2;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sekisho.config.ConfigLoader;
import io.sekisho.config.SekishoConfig;
import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.JavaSdk;
import io.sekisho.e2e.aws.SekishoForAws;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Issue 12 point 7: configuration files replaced the ways deployments replace them, on real files
 * with real symbolic links and renames, read by the real loader. A Kubernetes ConfigMap volume
 * (the kubelet's AtomicWriter: a new {@code ..2026_…} directory, a {@code ..data_tmp} link to it
 * renamed over {@code ..data}), a release directory re-pointed by {@code ln -sfn} somewhere else
 * on the path, and a rename over the file itself. Strengthenings apply on the debounce; a
 * weakening still waits for the settle time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SymlinkSwapReloadTest {
    static final Duration DEBOUNCE = Duration.ofMillis(100);
    static final Duration SETTLE = Duration.ofMillis(500);
    static final Duration POLL = Duration.ofMillis(200);

    @TempDir
    Path tmp;
    SekishoForAws sekisho;
    ConfigReloader reloader;
    JavaSdk sdk;
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(ConfigReloader.class);
    String full;
    String stronger;
    String cutBeforeAws;

    @BeforeEach
    void start() throws Exception {
        logged.start();
        logger.addAppender(logged);
        sekisho = SekishoForAws.start(tmp);
        full = Files.readString(sekisho.configFile());
        stronger = full.replace(SekishoForAws.ALLOWED_ACCOUNTS, "[\"" + CORPORATE + "\"]");
        cutBeforeAws = full.substring(0, full.indexOf("aws:"));
        sdk = JavaSdk.viaProxy(sekisho.port(), sekisho.caCertificate());
    }

    @AfterEach
    void stop() {
        if (sdk != null) {
            sdk.close();
        }
        if (reloader != null) {
            reloader.close();
        }
        if (sekisho != null) {
            sekisho.close();
        }
        logger.detachAppender(logged);
    }

    void watch(Path configPath) throws IOException {
        ProxyServer server = sekisho.proxy().server();
        reloader = new ConfigReloader(configPath, server.services().state().config(), ConfigLoader::load,
                c -> server.reload(c, AwsConfigReloadTest.policyFor(c)), DEBOUNCE, SETTLE, POLL);
        reloader.watch();
    }

    String callerAccount(String account) {
        try (StsClient sts = sdk.sts(AwsIdentities.longTerm(account), Region.US_EAST_1)) {
            return sts.getCallerIdentity().account();
        } catch (AwsServiceException e) {
            assertThat(e.getMessage()).contains("Blocked by Sekisho");
            return "blocked";
        }
    }

    SekishoConfig running() {
        return sekisho.proxy().server().services().state().config();
    }

    long generation() {
        return sekisho.proxy().server().services().state().generation();
    }

    boolean logs(String text) {
        return logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    /** What the kubelet does: the new version in a directory of its own, then one rename of a link. */
    static void configMapUpdate(Path volume, String version, String content) throws IOException {
        Path dir = Files.createDirectory(volume.resolve("..2026_12_06_" + version));
        Files.writeString(dir.resolve("sekisho.yaml"), content);
        Path old = Files.readSymbolicLink(volume.resolve("..data"));
        Path tmpLink = Files.createSymbolicLink(volume.resolve("..data_tmp"), dir.getFileName());
        Files.move(tmpLink, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(volume.resolve(old).resolve("sekisho.yaml"));
        Files.delete(volume.resolve(old));
    }

    @Test
    void aConfigMapUpdateAppliesAStrengtheningAndAWeakeningOnlyOnceSettled() throws Exception {
        Path volume = Files.createDirectory(tmp.resolve("configmap"));
        Path first = Files.createDirectory(volume.resolve("..2026_12_06_v1"));
        Files.writeString(first.resolve("sekisho.yaml"), full);
        Files.createSymbolicLink(volume.resolve("..data"), first.getFileName());
        Path config = Files.createSymbolicLink(volume.resolve("sekisho.yaml"), Path.of("..data/sekisho.yaml"));
        watch(config);
        assertThat(callerAccount(CORPORATE_2)).isEqualTo(CORPORATE_2);

        configMapUpdate(volume, "v2", stronger);
        Await.until(() -> generation() == 2, Duration.ofSeconds(20));
        assertThat(callerAccount(CORPORATE_2)).isEqualTo("blocked");
        assertThat(callerAccount(CORPORATE)).isEqualTo(CORPORATE);

        configMapUpdate(volume, "v3", cutBeforeAws);
        Await.until(() -> running().policy().aws().accounts().isEmpty(), Duration.ofSeconds(20));
        assertThat(logs("was replaced and weakens the configuration")).isTrue();
        assertThat(callerAccount(FOREIGN)).isEqualTo(FOREIGN);
    }

    @Test
    void aReleaseLinkRepointedInAnotherDirectoryIsPickedUp() throws Exception {
        Path releases = Files.createDirectories(tmp.resolve("srv/releases"));
        Files.writeString(Files.createDirectory(releases.resolve("v1")).resolve("sekisho.yaml"), full);
        Files.writeString(Files.createDirectory(releases.resolve("v2")).resolve("sekisho.yaml"), stronger);
        Path current = Files.createSymbolicLink(tmp.resolve("srv/current"), Path.of("releases/v1"));
        watch(current.resolve("sekisho.yaml"));
        assertThat(callerAccount(CORPORATE_2)).isEqualTo(CORPORATE_2);

        // ln -sfn releases/v2 current, done atomically as deploy tools do it
        Path next = Files.createSymbolicLink(tmp.resolve("srv/current.next"), Path.of("releases/v2"));
        Files.move(next, current, StandardCopyOption.ATOMIC_MOVE);

        Await.until(() -> generation() == 2, Duration.ofSeconds(20));
        assertThat(callerAccount(CORPORATE_2)).isEqualTo("blocked");
    }

    @Test
    void aRenameOverTheFileAppliesAStrengthening() throws Exception {
        watch(sekisho.configFile());
        Path next = Files.writeString(tmp.resolve(".sekisho.yaml.swp"), stronger);
        Files.move(next, sekisho.configFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        Await.until(() -> generation() == 2, Duration.ofSeconds(20));
        assertThat(callerAccount(CORPORATE_2)).isEqualTo("blocked");
    }
}
