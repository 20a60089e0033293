package io.sekisho.proxy.reload;

import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP for reload and SIGUSR1 to reopen the log files (Squid's {@code -k rotate}),
 * through {@code sun.misc.Signal} (jdk.unsupported; the only way in Java 17).
 * Guarded: where the signal cannot be handled (another OS, a JVM run with -Xrs) the proxy runs
 * on and file watching still reloads.
 */
public final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /** Runs {@code action} on each SIGHUP; returns false when SIGHUP cannot be handled here. */
    public static boolean onHangup(Runnable action) {
        return on("HUP", action, "the configuration file is still watched");
    }

    /**
     * Runs {@code action} on each SIGUSR1 (HotSpot leaves USR1 to applications on Linux; -Xrs
     * or another OS may not); returns false when SIGUSR1 cannot be handled here.
     */
    public static boolean onUser1(Runnable action) {
        return on("USR1", action, "log files are not reopened on signal; use audit.rotate or copytruncate");
    }

    private static boolean on(String name, Runnable action, String fallback) {
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
