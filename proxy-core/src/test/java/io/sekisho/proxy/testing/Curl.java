package io.sekisho.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real curl (present on every machine) with a hard timeout. */
public final class Curl {
    private Curl() {
    }

    /**
     * @param exitCode curl's exit code (0 = transfer done, whatever the HTTP status)
     * @param status the last HTTP status curl saw ({@code -w %{http_code}}), 0 when none
     * @param body the response body
     * @param headers the response headers curl dumped (-D)
     * @param stderr curl's diagnostics
     */
    public record Result(int exitCode, int status, String body, String headers, String stderr) {
        /** A response header's value (last occurrence), or null. */
        public String header(String name) {
            String found = null;
            for (String line : headers.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
                    found = line.substring(c + 1).trim();
                }
            }
            return found;
        }
    }

    /** {@code curl -sS --proxy <proxy> [args...]}, 30 s at most. */
    public static Result viaProxy(String proxy, String... args) {
        return viaProxyWithin(30, proxy, args);
    }

    /** The same with another time limit, for large transfers. */
    public static Result viaProxyWithin(int seconds, String proxy, String... args) {
        // HTTP/1.1 unless the test asks for --http2 (a later option wins): interception offers h2
        // by ALPN, and the tests written for HTTP/1.1 framing (100 Continue, upgrades) must see it.
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", Integer.toString(seconds),
                "--http1.1", "--proxy", proxy,
                "-D", "/dev/stderr", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    public static Result run(List<String> cmd) {
        return run(cmd, java.util.Map.of());
    }

    /** With more environment variables (a Kerberos client's KRB5_CONFIG and KRB5CCNAME). */
    public static Result run(List<String> cmd, java.util.Map<String, String> env) {
        try {
            ProcessBuilder b = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            b.environment().putAll(env);
            Process p = b.start();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            if (!p.waitFor(170, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("curl did not finish: " + cmd);
            }
            String stdout = new String(out.join(), StandardCharsets.ISO_8859_1);
            String stderr = new String(err.join(), StandardCharsets.ISO_8859_1);
            int nl = stdout.lastIndexOf('\n');
            String body = nl >= 0 ? stdout.substring(0, nl) : stdout;
            String code = nl >= 0 ? stdout.substring(nl + 1).trim() : "";
            int status = code.matches("\\d+") ? Integer.parseInt(code) : 0;
            // -D /dev/stderr puts the header blocks first on stderr; curl's own messages follow.
            return new Result(p.exitValue(), status, body, stderr, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
