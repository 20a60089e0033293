package io.sekisho.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Policy;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.audit.AsyncAuditLog;
import io.sekisho.proxy.testing.Await;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.EchoServer;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload on file change and on SIGHUP: a good file applies to new requests while open tunnels
 * stay open; a bad file changes nothing. The config module's loader is stood in for by a
 * one-line format ("allow: a.test,b.test", anything else is an error) so that this test does
 * not depend on it; the lead swaps in ConfigLoader::load at merge.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReloadTest {
    private final AtomicInteger loads = new AtomicInteger();
    private int originPort;
    private int echoPort;

    private LoadResult load(Path file) {
        loads.incrementAndGet();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!text.startsWith("allow: ")) {
                return new LoadResult(null, List.of(new Problem(file.toString(), 1, 1, Problem.Severity.ERROR,
                        "expected allow:")));
            }
            return new LoadResult(TestConfigs.builder().source(file).resolve(".test", originPort)
                    .resolve("echo.test", echoPort).build(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Policy policyFor(Path file) {
        try {
            String hosts = Files.readString(file, StandardCharsets.UTF_8).trim().substring("allow: ".length());
            return TestPolicy.allowing(hosts.split(","));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void goodFileAppliesToNewRequestsBadFileKeepsTheRunningPolicyTunnelsStayOpen(@TempDir Path dir)
            throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin(); EchoServer echo = new EchoServer()) {
            originPort = origin.port();
            echoPort = echo.port();
            Path file = dir.resolve("sekisho.yaml");
            Files.writeString(file, "allow: one.test,echo.test");
            SekishoConfig initial = load(file).config();
            ProxyServer server = ProxyServer.builder(initial, policyFor(file),
                    AsyncAuditLog.open(dir.resolve("audit.jsonl").toString(), 1000), new FakeResolver()).start();
            String proxy = "http://127.0.0.1:" + server.address().getPort();
            try (ConfigReloader reloader = new ConfigReloader(file, initial, this::load,
                    c -> server.reload(c, policyFor(c.source())), Duration.ofMillis(100), Duration.ofMillis(100));
                    RawClient tunnel = new RawClient(server.address().getPort())) {
                reloader.watch();
                assertThat(Curl.viaProxy(proxy, "http://two.test/").status()).isEqualTo(403);
                assertThat(tunnel.send("CONNECT echo.test:443 HTTP/1.1\r\n\r\n").readHead()).startsWith("HTTP/1.1 200");

                Files.writeString(file, "allow: two.test");
                Await.until(() -> Curl.viaProxy(proxy, "http://two.test/").status() == 200, Duration.ofSeconds(20));
                assertThat(Curl.viaProxy(proxy, "http://one.test/").status()).isEqualTo(403);
                tunnel.send("still open");
                assertThat(new String(tunnel.readExactly(10), StandardCharsets.US_ASCII)).isEqualTo("still open");

                int before = loads.get();
                Files.writeString(file, "alow: two.test");
                Await.until(() -> loads.get() > before, Duration.ofSeconds(20));
                assertThat(Curl.viaProxy(proxy, "http://two.test/").status()).isEqualTo(200);
                assertThat(server.services().state().generation()).isEqualTo(2);
            } finally {
                server.shutdown(Duration.ofMillis(200));
            }
        }
    }

    @Test
    void sighupReloadsNow(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sekisho.yaml");
        Files.writeString(file, "allow: one.test");
        AtomicInteger applied = new AtomicInteger();
        try (ConfigReloader reloader = new ConfigReloader(file, load(file).config(), this::load,
                c -> applied.incrementAndGet(), Duration.ofMillis(100), Duration.ofMillis(100))) {
            assertThat(Signals.onHangup(reloader::reloadNow)).isTrue();
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
            assertThat(kill.waitFor()).isZero();
            Await.until(() -> applied.get() == 1, Duration.ofSeconds(20));
        }
    }
}
