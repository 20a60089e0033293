package io.sekisho.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.testing.AuditLines;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The audit never loses a line (issue 12, point 2), against a really full file system (a 64 KiB
 * tmpfs) and a pipe whose reader stops: new requests are refused with 503 AUDIT_UNAVAILABLE
 * while the sink cannot take lines, the proxy recovers by itself, and every request that was
 * served has exactly one line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditFailClosedTest {
    private static final int TRIES = 2000;

    private Path dir;
    private boolean mounted;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "audit-fs")), "tmpfs");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // CI runs as root; a machine where mount is refused cannot run this test at all.
        assertThat(p.waitFor()).as("mount tmpfs (needs root): %s", out).isZero();
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void aFullDiskRefusesNewRequestsUntilSpaceComesBackAndNoServedRequestLosesItsLine() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        try (RecordingOrigin origin = new RecordingOrigin()) {
            ProxyServer proxy = start(origin, AsyncAuditLog.open(audit.toString(), 1000), false);
            HttpClient client = client(proxy);
            List<Integer> statuses = new ArrayList<>();
            statuses.add(get(client).statusCode());
            Path filler = fill(dir);

            HttpResponse<String> refused = until(client, statuses, "AUDIT_UNAVAILABLE");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("AUDIT_UNAVAILABLE").doesNotContain("Blocked");
            assertThat(proxy.services().audit().writeFailures()).isPositive();
            assertThat(proxy.services().admission().refused()).isPositive();
            assertThat(proxy.services().metrics().scrape()).containsPattern("(?m)^sekisho_audit_refused_total [1-9]");

            Files.delete(filler);
            until(client, statuses, null);
            proxy.shutdown(Duration.ofSeconds(1));
            proxy.services().audit().close();

            assertEveryServedRequestHasOneLine(Files.readAllLines(audit), statuses);
        }
    }

    @Test
    void withOnFailureServeRequestsAreServedAndCountedWhileTheDiskIsFull() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        try (RecordingOrigin origin = new RecordingOrigin()) {
            ProxyServer proxy = start(origin, AsyncAuditLog.open(audit.toString(), 1000), true);
            HttpClient client = client(proxy);
            assertThat(get(client).statusCode()).isEqualTo(200);
            Path filler = fill(dir);
            for (int i = 0; i < TRIES && proxy.services().admission().servedUnaudited() == 0; i++) {
                assertThat(get(client).statusCode()).isEqualTo(200);
                Thread.sleep(5);
            }
            assertThat(proxy.services().admission().servedUnaudited()).isPositive();
            assertThat(proxy.services().metrics().scrape())
                    .containsPattern("(?m)^sekisho_audit_served_unaudited_total [1-9]");
            assertThat(proxy.services().admission().refused()).isZero();
            Files.delete(filler);
            proxy.shutdown(Duration.ofSeconds(1));
            proxy.services().audit().close();
        }
    }

    @Test
    void aPipeWhoseReaderStopsRefusesNewRequestsAndTheReaderGetsEveryServedLineWhenItResumes() throws Exception {
        Path fifo = dir.resolve("audit.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        List<String> read = new CopyOnWriteArrayList<>();
        Semaphore reading = new Semaphore(1);
        Thread reader = new Thread(() -> readFifo(fifo, read, reading), "fifo-reader");
        reader.start();
        try (RecordingOrigin origin = new RecordingOrigin()) {
            ProxyServer proxy = start(origin, AsyncAuditLog.open(fifo.toString(), 64), false);
            HttpClient client = client(proxy);
            List<Integer> statuses = new ArrayList<>();
            reading.acquire(); // the reader stops after its current line
            HttpResponse<String> refused = until(client, statuses, "AUDIT_UNAVAILABLE");
            assertThat(refused.statusCode()).isEqualTo(503);

            reading.release();
            until(client, statuses, null);
            proxy.shutdown(Duration.ofSeconds(1));
            proxy.services().audit().close();
            reader.join(10_000);
            assertEveryServedRequestHasOneLine(read, statuses);
        }
    }

    private static void readFifo(Path fifo, List<String> read, Semaphore reading) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new FileInputStream(fifo.toFile()),
                StandardCharsets.UTF_8), 256)) {
            String line;
            while (true) {
                reading.acquireUninterruptibly();
                reading.release();
                if ((line = r.readLine()) == null) {
                    return;
                }
                read.add(line);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertEveryServedRequestHasOneLine(List<String> lines, List<Integer> statuses) {
        long served = statuses.stream().filter(s -> s == 200).count();
        List<Map<String, Object>> allowed = new ArrayList<>();
        HashSet<Object> ids = new HashSet<>();
        for (String line : lines) {
            Map<String, Object> m = AuditLines.parse(line); // every line whole: each one parses
            if ("ALLOW".equals(m.get("verdict"))) {
                allowed.add(m);
            }
            assertThat(ids.add(m.get("requestId"))).as("no line twice: %s", line).isTrue();
        }
        assertThat(served).isPositive();
        assertThat(allowed).as("one line for each of the %d served requests", served).hasSize((int) served);
        assertThat(allowed).allSatisfy(m -> assertThat(m).containsEntry("status", 200L));
    }

    /** Sends requests until one is refused with {@code reason}, or (null) until one is served. */
    private static HttpResponse<String> until(HttpClient client, List<Integer> statuses, String reason)
            throws Exception {
        for (int i = 0; i < TRIES; i++) {
            HttpResponse<String> r = get(client);
            statuses.add(r.statusCode());
            String got = r.headers().firstValue("X-Sekisho-Reason").orElse(null);
            if (reason == null ? r.statusCode() == 200 : reason.equals(got)) {
                return r;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + (reason == null ? "served request" : reason) + " in " + TRIES + " tries");
    }

    /** Fills the file system to its last byte; returns the filler to delete. */
    private static Path fill(Path dir) throws IOException {
        Path filler = dir.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE_NEW)) {
            byte[] block = new byte[512];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
        return filler;
    }

    private static ProxyServer start(RecordingOrigin origin, AsyncAuditLog log, boolean serve) throws Exception {
        SekishoConfig.Audit a = new SekishoConfig.Audit("unused", serve, "", null, "squid", 0, 5);
        SekishoConfig config = TestConfigs.builder().resolve("origin.test", origin.port()).audit(a).build();
        return ProxyServer.builder(config, TestPolicy.allowing("origin.test"), log, new FakeResolver())
                .workerThreads(2).start();
    }

    private static HttpClient client(ProxyServer proxy) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1",
                proxy.address().getPort()))).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://origin.test/x")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
