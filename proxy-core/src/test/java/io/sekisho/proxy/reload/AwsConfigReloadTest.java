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
import io.sekisho.policy.Policy;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.testing.Await;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Issue 18 point 5 through the real reload path: the real proxy as deployed for AWS, its config
 * file on disk, the real loader and {@link ConfigReloader} watching the file, and SigV4-signed
 * calls of the AWS SDK for Java from a company account and a foreign one. A file written in place
 * cut before {@code aws:} never lets the foreign account through, however long its writer pauses;
 * a rename or SIGHUP applies the same weakening; a strengthening applies on the debounce; and a
 * CA key that start would refuse makes a reload keep the running configuration.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AwsConfigReloadTest {
    static final Duration DEBOUNCE = Duration.ofMillis(100);
    static final Duration SETTLE = Duration.ofMillis(500);

    @TempDir
    Path tmp;
    SekishoForAws sekisho;
    ConfigReloader reloader;
    JavaSdk sdk;
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(ConfigReloader.class);
    String full;
    String cutBeforeAws;

    @BeforeEach
    void start() throws Exception {
        logged.start();
        logger.addAppender(logged);
        sekisho = SekishoForAws.start(tmp);
        full = Files.readString(sekisho.configFile());
        cutBeforeAws = full.substring(0, full.indexOf("aws:"));
        ProxyServer server = sekisho.proxy().server();
        reloader = new ConfigReloader(sekisho.configFile(), server.services().state().config(), ConfigLoader::load,
                c -> server.reload(c, policyFor(c)), DEBOUNCE, SETTLE);
        reloader.watch();
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

    static Policy policyFor(SekishoConfig c) {
        return StandardPolicy.create(c.policy(), KeyLookup.NONE, new InMemorySigninTokenStore(), Clock.systemUTC());
    }

    /** The account sts:GetCallerIdentity answers for, or "blocked" when Sekisho refused the call. */
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

    @Test
    void aFileCutBeforeAwsAndCompletedTwoSecondsLaterNeverLetsAForeignAccountThrough() throws Exception {
        assertThat(callerAccount(FOREIGN)).isEqualTo("blocked");

        Files.writeString(sekisho.configFile(), cutBeforeAws);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int calls = 0;
        while (System.nanoTime() < end) {
            assertThat(callerAccount(FOREIGN)).isEqualTo("blocked");
            assertThat(running().policy().aws().accounts()).isNotEmpty();
            calls++;
        }
        Await.until(() -> logs("not applied"), Duration.ofSeconds(20));
        Files.writeString(sekisho.configFile(), full.substring(cutBeforeAws.length()), StandardOpenOption.APPEND);
        Await.until(() -> generation() == 2, Duration.ofSeconds(20));

        assertThat(calls).isPositive();
        assertThat(callerAccount(FOREIGN)).isEqualTo("blocked");
        assertThat(callerAccount(CORPORATE)).isEqualTo(CORPORATE);
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains("not applied")).first()
                .extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("aws.accounts.allow: empty, AWS account checks are off").contains("send SIGHUP");
    }

    @Test
    void theSameWeakeningAppliesWhenTheFileIsReplacedByARename() throws Exception {
        Path next = Files.writeString(tmp.resolve("sekisho.yaml.new"), cutBeforeAws);
        Files.move(next, sekisho.configFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        Await.until(() -> running().policy().aws().accounts().isEmpty(), Duration.ofSeconds(20));
        assertThat(callerAccount(FOREIGN)).isEqualTo(FOREIGN);
        assertThat(logs("applied; it weakens the configuration: aws.accounts.allow: empty")).isTrue();
    }

    @Test
    void sighupAppliesAWeakeningWrittenInPlace() throws Exception {
        Files.writeString(sekisho.configFile(), cutBeforeAws);
        Await.until(() -> logs("not applied"), Duration.ofSeconds(20));
        assertThat(generation()).isEqualTo(1);

        assertThat(Signals.onHangup(reloader::reloadNow)).isTrue();
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor()).isZero();

        Await.until(() -> running().policy().aws().accounts().isEmpty(), Duration.ofSeconds(20));
        assertThat(callerAccount(FOREIGN)).isEqualTo(FOREIGN);
    }

    @Test
    void aStrengtheningWrittenInPlaceAppliesOnTheDebounce() throws Exception {
        assertThat(callerAccount(CORPORATE_2)).isEqualTo(CORPORATE_2);

        Files.writeString(sekisho.configFile(),
                full.replace(SekishoForAws.ALLOWED_ACCOUNTS, "[\"" + CORPORATE + "\"]"));

        Await.until(() -> generation() == 2, Duration.ofSeconds(20));
        assertThat(callerAccount(CORPORATE_2)).isEqualTo("blocked");
        assertThat(callerAccount(CORPORATE)).isEqualTo(CORPORATE);
        assertThat(logs("not applied")).isFalse();
    }

    /** What can be wrong with the CA key when a reload comes: each one stops a start. */
    enum BrokenCa { TRUNCATED_KEY, ANOTHER_CAS_KEY, ENCRYPTED_KEY_WITHOUT_PASSWORD, WRONG_PASSWORD }

    @ParameterizedTest
    @EnumSource(BrokenCa.class)
    void aCaKeyThatStartWouldRefuseMakesAReloadKeepTheRunningConfiguration(BrokenCa broken) throws Exception {
        Path key = tmp.resolve("proxy-ca").resolve("ca.key");
        String next = full.replace(SekishoForAws.ALLOWED_ACCOUNTS, "[\"" + CORPORATE + "\"]");
        String problem = breakCa(broken, key);
        if (broken == BrokenCa.WRONG_PASSWORD) {
            Path password = Files.writeString(tmp.resolve("ca-password"), "wrong\n");
            next = next.replace("privateKey: \"" + key + "\"\n",
                    "privateKey: \"" + key + "\"\n    password: {file: \"" + password + "\"}\n");
        }

        Files.writeString(sekisho.configFile(), next);

        Await.until(() -> logs("keeping the running configuration"), Duration.ofSeconds(20));
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains("keeping the running"))
                .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .startsWith(sekisho.configFile() + ": ").contains(problem);
        assertThat(generation()).isEqualTo(1);
        assertThat(callerAccount(CORPORATE_2)).isEqualTo(CORPORATE_2);
    }

    /** Spoils the CA as {@code broken} says; returns what the refusal must name. */
    private String breakCa(BrokenCa broken, Path key) throws Exception {
        String pem = Files.readString(key);
        switch (broken) {
            case TRUNCATED_KEY -> {
                Files.writeString(key, pem.substring(0, pem.length() / 2));
                return key.toString();
            }
            case ANOTHER_CAS_KEY -> {
                CaInit.Summary other = new CaInit(Clock.systemUTC(), new SecureRandom())
                        .create(tmp.resolve("other-ca"), KeyType.EC_P256, "other");
                Files.copy(other.keyFile(), key, StandardCopyOption.REPLACE_EXISTING);
                return "the private key does not match CA certificate";
            }
            case ENCRYPTED_KEY_WITHOUT_PASSWORD -> {
                Files.writeString(key, encrypted(pem, "right"));
                return "the private key in " + key + " is encrypted but no password was given";
            }
            default -> {
                Files.writeString(key, encrypted(pem, "right"));
                return "wrong password for " + key;
            }
        }
    }

    /** The PKCS#8 key in {@code pem}, encrypted with AES-256 under {@code password}, as PEM. */
    private static String encrypted(String pem, String password) throws Exception {
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider()).setPassword(password.toCharArray()).build();
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, encryptor));
        }
        return out.toString();
    }
}
