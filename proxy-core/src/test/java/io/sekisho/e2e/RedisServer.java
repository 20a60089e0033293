package io.sekisho.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's package) on 127.0.0.1, started and stopped by the test:
 * no persistence, so a restart comes back empty, as a store that lost its data. Missing under
 * {@code CI=true}, the test fails (CI installs it in {@code .ci/run}); elsewhere it is skipped.
 */
public final class RedisServer implements AutoCloseable {
    /** The AUTH password the tests give the store; the secret scan looks for it in every log. */
    public static final String TEST_PASSWORD = "redis-e2e-password-7f3a";
    /** The {@code cluster.tokenKey} the tests use; the secret scan looks for it in every log. */
    public static final String TEST_TOKEN_KEY = "e2e-token-key-5b1c9d7e3a0f4e28";
    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private final List<String> listen;
    private Process process;

    private RedisServer(Path dir, int port, List<String> listen, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
        this.listen = listen;
        this.extraArgs = extraArgs;
    }

    /** Fails under CI=true when redis-server is missing; skips elsewhere. */
    public static void require() {
        if (CommandResult.onPath("redis-server").isPresent()) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("redis-server not found; CI installs it (apt-get install -y redis-server in .ci/run)");
        }
        Assumptions.assumeTrue(false, "redis-server not found: apt-get install -y redis-server");
    }

    /** Starts on a free port; {@code extraArgs} are more {@code redis-server} options (e.g. --requirepass). */
    public static RedisServer start(Path dir, String... extraArgs) throws IOException {
        int port = freePort(dir);
        RedisServer r = new RedisServer(dir, port, List.of("--port", String.valueOf(port)), List.of(extraArgs));
        r.startProcess();
        return r;
    }

    /**
     * Starts with TLS only ({@code tls-port}; the plain port is off) presenting {@code certificate},
     * without asking clients for certificates ({@code tls-auth-clients no}).
     */
    public static RedisServer startTls(Path dir, Path certificate, Path key, Path ca, String... extraArgs)
            throws IOException {
        int port = freePort(dir);
        RedisServer r = new RedisServer(dir, port, List.of("--port", "0", "--tls-port", String.valueOf(port),
                "--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "no"), List.of(extraArgs));
        r.startProcess();
        return r;
    }

    private static int freePort(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** Stops the server (SIGTERM) and waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts it again on the same port, empty. */
    public void restart() throws IOException {
        startProcess();
    }

    /** Sends one inline command and returns the raw reply (tests only: KEYS, PING; plain port only). */
    public String command(String inline, String... auth) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            for (String a : auth) {
                out.write(("AUTH " + a + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write((inline + "\r\nQUIT\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void startProcess() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("redis-server"));
        cmd.addAll(listen);
        cmd.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.stdout").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    Path log = dir.resolve("redis.log");
                    throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.stdout"))
                            + (Files.exists(log) ? Files.readString(log) : ""));
                }
                sleep();
            }
        }
        throw new IOException("redis-server did not listen on " + port);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
