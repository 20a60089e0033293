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
    private Process process;

    private RedisServer(Path dir, int port, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
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
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisServer r = new RedisServer(dir, port, List.of(extraArgs));
        r.startProcess();
        return r;
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

    /** Sends one inline command and returns the raw reply (tests only: KEYS, PING). */
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
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
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
                    throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.stdout")));
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
