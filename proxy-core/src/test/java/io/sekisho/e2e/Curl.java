package io.sekisho.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs curl in a clean environment, either straight at the fake origin ({@code --connect-to} maps
 * every host to it, so SNI and Host stay the real AWS names) or through the proxy.
 */
public final class Curl {

    private final Path workDir;
    private final List<String> base;

    private Curl(Path workDir, List<String> base) {
        this.workDir = workDir;
        this.base = base;
    }

    public static boolean available() {
        return CommandResult.onPath("curl").isPresent();
    }

    /** Every {@code host:port} goes to the origin's HTTPS listener; trusts {@code caPem}. */
    public static Curl direct(Path workDir, Path caPem, FakeAwsOrigin origin) {
        return new Curl(workDir, List.of("curl", "-sS", "--max-time", "20", "--cacert", caPem.toString(),
                "--connect-to", "::127.0.0.1:" + origin.httpsPort()));
    }

    /**
     * Through the proxy at {@code 127.0.0.1:proxyPort}, trusting {@code caPem} (the MITM CA).
     * HTTP/1.1 inside the tunnel: these scenarios read HTTP/1.1 status lines and 100 Continue;
     * HTTP/2 through the proxy is {@code proxy/h2}'s tests.
     */
    public static Curl viaProxy(Path workDir, Path caPem, int proxyPort) {
        return new Curl(workDir, List.of("curl", "-sS", "--max-time", "20", "--http1.1", "--cacert", caPem.toString(),
                "--proxy", "http://127.0.0.1:" + proxyPort, "--noproxy", ""));
    }

    public CommandResult run(String... args) {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of(args));
        return CommandResult.run(command, Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", workDir.toString()), workDir, Duration.ofSeconds(40));
    }
}
