package io.sekisho.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGHUP that the process ignores (it was started under {@code nohup}) never reaches the JVM's
 * handler: the proxy says so instead of promising a reload that cannot come.
 */
class SignalsTest {

    @Test
    void theIgnoredMaskOfProcStatusIsRead(@TempDir Path dir) throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000001\n");
        assertThat(Signals.ignoredByProcess(1, status)).as("SIGHUP, bit 0").isTrue();
        assertThat(Signals.ignoredByProcess(10, status)).as("SIGUSR1, bit 9").isFalse();
        Files.writeString(status, "SigIgn:\t0000000000000200\n");
        assertThat(Signals.ignoredByProcess(1, status)).isFalse();
        assertThat(Signals.ignoredByProcess(10, status)).isTrue();
        Files.writeString(status, "SigIgn:\tnot hex\n");
        assertThat(Signals.ignoredByProcess(1, status)).as("unreadable: nothing known").isFalse();
        assertThat(Signals.ignoredByProcess(1, dir.resolve("absent"))).as("no /proc: nothing known").isFalse();
    }

    @Test
    void underNohupSighupIsReportedAsNotHandled() throws Exception {
        // SIGHUP back to its default first, whatever this JVM inherited (coreutils' env).
        assertThat(run(List.of("env", "--default-signal=HUP"))).contains("handled=true")
                .doesNotContain("ignored by this process");
        String underNohup = run(List.of("nohup"));
        assertThat(underNohup).contains("handled=false");
        assertThat(underNohup).contains("SIGHUP is ignored by this process");
    }

    /** Runs {@link Probe} in a JVM of its own, behind {@code prefix}; its output. */
    private static String run(List<String> prefix) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Asks for SIGHUP and prints whether it will be handled (after what was logged). */
    public static final class Probe {
        public static void main(String[] args) {
            boolean handled = Signals.onHangup(() -> { });
            System.out.println("handled=" + handled);
        }
    }
}
