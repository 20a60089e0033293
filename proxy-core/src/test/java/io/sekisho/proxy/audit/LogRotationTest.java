package io.sekisho.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Decision;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.cli.Main;
import io.sekisho.proxy.testing.AuditLines;
import io.sekisho.proxy.testing.RecordingOrigin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rotation (issue 12, point 3): {@code kill -USR1} on a running {@code sekisho run} reopens the
 * JSON audit and the access log after they were renamed, as Squid's {@code -k rotate}; under
 * load, across several rotations, no line is lost or written twice. Size rotation keeps N files.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LogRotationTest {
    private static final int CLIENTS = 4;
    private static final int ROTATIONS = 3;

    @Test
    void sigusr1ReopensRenamedLogsUnderLoadAndNoLineIsLostOrDuplicated() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "rotation")), "run")
                .toAbsolutePath();
        try (RecordingOrigin origin = new RecordingOrigin()) {
            int port = freePort();
            Path config = dir.resolve("sekisho.yaml");
            // An admin port of its own: the default (9128) may be taken on a shared machine.
            Files.writeString(config, String.join("\n", "version: 1", "listen: 127.0.0.1:" + port,
                    "admin:", "  listen: 127.0.0.1:" + freePort(),
                    "audit:", "  file: audit.jsonl", "  instance: rotation-test",
                    "  accessLog:", "    file: access.log",
                    "domains:", "  allow: [origin.test]",
                    "upstream:", "  resolve:", "    origin.test: \"127.0.0.1:" + origin.port() + "\"", ""));
            Process sekisho = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--config",
                    config.toString()).redirectErrorStream(true).start();
            try {
                awaitListening(sekisho);
                int served = loadWithRotations(sekisho, port, dir);
                sekisho.destroy(); // SIGTERM: drains, then writes out the queued lines
                assertThat(sekisho.waitFor(30, TimeUnit.SECONDS)).isTrue();

                assertRotated(dir, "audit.jsonl", served);
                assertRotated(dir, "access.log", served);
            } finally {
                sekisho.destroyForcibly();
            }
        }
    }

    private static int loadWithRotations(Process sekisho, int port, Path dir) throws Exception {
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port)))
                .build();
        AtomicInteger served = new AtomicInteger();
        AtomicInteger stop = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                while (stop.get() == 0) {
                    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://origin.test/r"))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
                    assertThat(r.statusCode()).isEqualTo(200);
                    served.incrementAndGet();
                }
                return null;
            }));
        }
        for (int i = 1; i <= ROTATIONS; i++) {
            awaitServed(served, served.get() + 200, clients, sekisho);
            // What logrotate does without copytruncate: rename, then signal.
            Files.move(dir.resolve("audit.jsonl"), dir.resolve("audit.jsonl." + i));
            Files.move(dir.resolve("access.log"), dir.resolve("access.log." + i));
            kill("-USR1", sekisho.pid());
        }
        awaitServed(served, served.get() + 200, clients, sekisho);
        stop.set(1);
        for (Future<?> f : clients) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return served.get();
    }

    /** Waits until {@code target} requests were served; fails at once if a client or the proxy stopped. */
    private static void awaitServed(AtomicInteger served, int target, List<Future<?>> clients, Process sekisho)
            throws Exception {
        while (served.get() < target) {
            for (Future<?> f : clients) {
                if (f.isDone()) {
                    f.get(); // a client ends only by failing before the stop: its exception fails the test
                    throw new AssertionError("a client stopped before the end");
                }
            }
            assertThat(sekisho.isAlive()).as("the proxy is running").isTrue();
            Thread.sleep(10);
        }
    }

    private static void assertRotated(Path dir, String name, int served) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= ROTATIONS; i++) {
            List<String> part = Files.readAllLines(dir.resolve(name + "." + i));
            if (i > 1) {
                // Each renamed file got lines after the previous signal: the reopen happened.
                assertThat(part).as("%s.%d has lines", name, i).isNotEmpty();
            }
            lines.addAll(part);
        }
        List<String> current = Files.readAllLines(dir.resolve(name));
        assertThat(current).as("lines after the last reopen went to the new %s", name).isNotEmpty();
        lines.addAll(current);
        assertThat(lines).as("one %s line per served request", name).hasSize(served);
        if (name.endsWith(".jsonl")) {
            Set<Object> ids = new HashSet<>();
            for (String l : lines) {
                assertThat(ids.add(AuditLines.parse(l).get("requestId"))).as("written once: %s", l).isTrue();
                assertThat(AuditLines.parse(l)).containsEntry("instance", "rotation-test");
            }
        } else {
            assertThat(lines).allSatisfy(l -> assertThat(l).contains(" TCP_MISS/200 "));
        }
    }

    @Test
    void sizeRotationKeepsNFilesAndEveryLineIsInExactlyOne() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "rotation")), "size")
                .toAbsolutePath();
        Path file = dir.resolve("audit.jsonl");
        try (AsyncAuditLog log = AsyncAuditLog.open(new AuditSinkSpec(file.toString(), "i", null,
                AccessLogFormat.SQUID, 10_000, 8 * 1024, 50))) {
            for (int i = 0; i < 1000; i++) {
                log.write(AuditRecords.of("id-" + i, Instant.EPOCH, "127.0.0.1:1").request("GET", "h", 80, "/")
                        .decided(Decision.allow(Reason.DOMAIN_ALLOWED, ""), Mode.ENFORCE));
                if (i % 100 == 0) {
                    Thread.sleep(20); // several batches, so that rotations fall between them
                }
            }
        }
        Set<String> ids = new HashSet<>();
        int files = 0;
        try (Stream<Path> all = Files.list(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                files++;
                for (String l : Files.readAllLines(p)) {
                    assertThat(ids.add((String) AuditLines.parse(l).get("requestId"))).isTrue();
                }
            }
        }
        assertThat(ids).hasSize(1000);
        assertThat(files).isGreaterThan(2).isLessThanOrEqualTo(51);
        assertThat(dir.resolve("audit.jsonl.1")).exists();
    }

    private static void kill(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor()).isZero();
    }

    private static void awaitListening(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = r.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains("listening on")) {
                // Keep draining its output so that the process never blocks on a full pipe.
                Thread drain = new Thread(() -> r.lines().forEach(l -> { }), "sekisho-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new AssertionError("sekisho exited: " + seen);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

}
