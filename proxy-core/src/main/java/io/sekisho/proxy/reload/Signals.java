package io.sekisho.proxy.reload;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP for reload and SIGUSR1 to reopen the log files (Squid's {@code -k rotate}),
 * through {@code sun.misc.Signal} (jdk.unsupported; the only way in Java 17).
 * Guarded: where the signal cannot be handled (another OS, a JVM run with -Xrs, a process that
 * ignores it because it was started under {@code nohup}) the proxy says so, runs on, and file
 * watching still reloads.
 */
public final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private Signals() {
    }

    /**
     * True when the process ignores signal {@code number}: the {@code SigIgn} mask of Linux's
     * {@code /proc/self/status}, where bit n-1 stands for signal n (a disposition that
     * {@code nohup} sets for SIGHUP and children inherit). False when nothing is known.
     */
    static boolean ignoredByProcess(int number, Path status) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
                    return ((mask >>> (number - 1)) & 1) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no /proc: nothing is known, and the handler is installed as usual.
        }
        return false;
    }

    /** Runs {@code action} on each SIGHUP; returns false when SIGHUP cannot be handled here. */
    public static boolean onHangup(Runnable action) {
        return on("HUP", 1, action, "the configuration file is still watched");
    }

    /**
     * Runs {@code action} on each SIGUSR1 (HotSpot leaves USR1 to applications on Linux; -Xrs
     * or another OS may not); returns false when SIGUSR1 cannot be handled here.
     */
    public static boolean onUser1(Runnable action) {
        return on("USR1", 10, action, "log files are not reopened on signal; use audit.rotate or copytruncate");
    }

    private static boolean on(String name, int number, Runnable action, String fallback) {
        if (ignoredByProcess(number, PROC_STATUS)) {
            // The JVM accepts a handler for an ignored signal and never calls it.
            log.warn("SIG{} is ignored by this process (started under nohup, or by a parent that ignores it),"
                    + " so it never arrives; {}", name, fallback);
            return false;
        }
        try {
            // Reached by reflection: javac warns on every compile-time use of sun.misc, and the
            // build fails on warnings (docs/architecture.md, "Build-enforced quality").
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object sig = signal.getConstructor(String.class).newInstance(name);
            Object onSignal = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "SIG" + name + " handler";
                    });
            signal.getMethod("handle", signal, handler).invoke(null, sig, onSignal);
            return true;
        } catch (Throwable e) {
            log.warn("SIG{} cannot be handled here ({}); {}", name, e.toString(), fallback);
            return false;
        }
    }
}
