package io.sekisho.proxy.admin;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static io.sekisho.proxy.admin.AdminScrape.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.JavaSdk;
import io.sekisho.e2e.aws.SekishoForAws;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.cli.Main;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.metrics.ReloadMetrics;
import io.sekisho.proxy.reload.ConfigReloader;
import io.sekisho.proxy.testing.Await;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.EchoServer;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Issue 12 point 1: the admin listener over real sockets, after real traffic through the real
 * proxy. The exposition passes {@code promtool check metrics} (Debian's prometheus package) and
 * counts what the traffic did; /readyz follows the listener and draining.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminEndpointsTest {
    @TempDir
    Path tmp;

    @Test
    void aScrapeAfterInterceptedAwsTrafficPassesPromtoolAndCountsIt() throws Exception {
        try (SekishoForAws sekisho = SekishoForAws.start(tmp);
                AdminScrape admin = AdminScrape.of(sekisho.proxy().server());
                JavaSdk sdk = JavaSdk.viaProxy(sekisho.port(), sekisho.caCertificate())) {
            ProxyServer server = sekisho.proxy().server();
            ReloadMetrics reloads = server.services().metrics().reloads();
            reloads.loaded(ConfigReloader.sha256Of(sekisho.configFile()), System.currentTimeMillis(), false);
            assertThat(callerAccount(sdk, CORPORATE)).isEqualTo(CORPORATE);
            assertThat(callerAccount(sdk, FOREIGN)).isEqualTo("blocked");
            String proxy = "http://127.0.0.1:" + sekisho.port();
            String sts = "https://sts.us-east-1.amazonaws.com/";
            for (int i = 0; i < 2; i++) {
                Curl.viaProxy(proxy, "--cacert", sekisho.caPem().toString(), sts);
            }
            assertThat(Curl.viaProxy(proxy, sts).exitCode()).as("curl refuses a leaf it does not trust").isNotZero();
            reloadOnceWellAndOnceBadly(sekisho, server, reloads);

            Await.until(() -> admin.sample("sekisho_tls_handshake_failures_total", "side=\"client\"") >= 1,
                    Duration.ofSeconds(20));
            String m = admin.metrics();
            AdminScrape.promtoolCheck(m);
            assertThat(value(m, "sekisho_decisions_total", "verdict=\"allow\"", "host_class=\"aws_api\"")).isPositive();
            assertThat(value(m, "sekisho_decisions_total", "verdict=\"deny\"", "host_class=\"aws_api\"")).isPositive();
            assertThat(value(m, "sekisho_bytes_total", "direction=\"down\"")).isPositive();
            assertThat(value(m, "sekisho_decision_duration_seconds_count")).isPositive();
            assertThat(value(m, "sekisho_decision_duration_seconds_bucket", "le=\"+Inf\"")).isPositive();
            assertThat(value(m, "sekisho_upstream_connect_duration_seconds_count")).isPositive();
            assertThat(value(m, "sekisho_upstream_response_duration_seconds_count")).isPositive();
            assertThat(value(m, "sekisho_leaf_cache_misses_total")).isPositive();
            assertThat(value(m, "sekisho_leaf_cache_hits_total")).isPositive();
            assertThat(value(m, "sekisho_reloads_total", "result=\"success\"")).isEqualTo(1.0);
            assertThat(value(m, "sekisho_reloads_total", "result=\"failure\"")).isEqualTo(1.0);
            assertThat(value(m, "sekisho_config_info", "sha256=\"" + ConfigReloader.sha256Of(sekisho.configFile())
                    + "\"")).isEqualTo(1.0);
            assertThat(value(m, "sekisho_config_load_timestamp_seconds")).isPositive();
            assertThat(value(m, "sekisho_audit_queue_depth")).isNotNegative();
            assertThat(value(m, "sekisho_audit_write_failures_total")).isZero();
            assertThat(value(m, "sekisho_audit_refused_total")).isZero();
            assertThat(value(m, "sekisho_audit_served_unaudited_total")).isZero();
            assertThat(AdminScrape.families(m)).contains("sekisho_connections_active", "sekisho_tunnels_active",
                    "sekisho_intercepted_active", "sekisho_audit_dropped_total", "sekisho_dns_cache_hits_total",
                    "sekisho_dns_cache_misses_total", "sekisho_buffer_memory_used_bytes");
        }
    }

    private static String callerAccount(JavaSdk sdk, String account) {
        try (StsClient sts = sdk.sts(AwsIdentities.longTerm(account), Region.US_EAST_1)) {
            return sts.getCallerIdentity().account();
        } catch (AwsServiceException e) {
            return "blocked";
        }
    }

    /** A strengthening applied, then a file with an error refused, through the real reloader. */
    private static void reloadOnceWellAndOnceBadly(SekishoForAws sekisho, ProxyServer server, ReloadMetrics reloads)
            throws Exception {
        String full = Files.readString(sekisho.configFile());
        try (ConfigReloader reloader = new ConfigReloader(sekisho.configFile(), server.services().state().config(),
                ConfigLoader::load, c -> server.reload(c, StandardPolicy.create(c.policy(), KeyLookup.NONE,
                        new InMemorySigninTokenStore(), Clock.systemUTC())), Duration.ofMillis(50),
                Duration.ofMillis(200)).outcomes(reloads::reloaded, reloads::failed)) {
            Files.writeString(sekisho.configFile(), full.replace(SekishoForAws.ALLOWED_ACCOUNTS, "[\"" + CORPORATE
                    + "\"]"));
            reloader.reloadNow();
            Await.until(() -> server.services().state().generation() == 2, Duration.ofSeconds(20));
            Files.writeString(sekisho.configFile(), full.replace("version: 1", "version: 1\nlisen: x"));
            reloader.reloadNow();
            Await.until(() -> server.services().metrics().scrape()
                    .contains("sekisho_reloads_total{result=\"failure\"} 1.0"), Duration.ofSeconds(20));
            Files.writeString(sekisho.configFile(), full.replace(SekishoForAws.ALLOWED_ACCOUNTS, "[\"" + CORPORATE
                    + "\"]"));
        }
    }

    @Test
    void readyUntilDrainingHealthyThroughoutAndTheProbeSaysTheSame() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("echo.test", echo.port())
                    .shutdownDrain(Duration.ofSeconds(30)).build(), TestPolicy.allowing("echo.test"));
            try (AdminScrape admin = AdminScrape.of(proxy.server());
                    RawClient tunnel = new RawClient(proxy.port())) {
                assertThat(admin.get("/healthz").body()).isEqualTo("ok\n");
                assertThat(admin.get("/readyz").statusCode()).isEqualTo(200);
                assertThat(probe(admin)).isZero();
                assertThat(admin.get("/nothing").statusCode()).isEqualTo(404);
                assertThat(admin.send("POST", "/metrics").statusCode()).isEqualTo(405);
                assertThat(tunnel.send("CONNECT echo.test:443 HTTP/1.1\r\n\r\n").readHead()).startsWith("HTTP/1.1 200");
                Await.until(() -> admin.sample("sekisho_tunnels_active") == 1.0, Duration.ofSeconds(10));
                assertThat(value(admin.metrics(), "sekisho_connections_active")).isEqualTo(1.0);

                CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> proxy.server()
                        .shutdown(Duration.ofSeconds(30)));
                Await.until(() -> admin.status("/readyz") == 503, Duration.ofSeconds(10));
                assertThat(admin.get("/readyz").body()).isEqualTo("not ready: draining\nprovenance store: in memory\n");
                assertThat(admin.get("/healthz").statusCode()).isEqualTo(200);
                assertThat(probe(admin)).isEqualTo(1);

                tunnel.close();
                stopping.get(30, TimeUnit.SECONDS);
                Await.until(() -> admin.sample("sekisho_tunnels_active") == 0.0, Duration.ofSeconds(10));
            } finally {
                proxy.close();
            }
        }
    }

    private static int probe(AdminScrape admin) {
        return Main.execute(Wiring.DEFAULT, "probe", "--admin", "127.0.0.1:" + admin.port());
    }

    @Test
    void theProbeFailsWhenNothingAnswers() throws Exception {
        int free;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        assertThat(Main.execute(Wiring.DEFAULT, "probe", "--admin", "127.0.0.1:" + free)).isEqualTo(1);
    }
}
