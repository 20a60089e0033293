package io.sekisho.proxy.reload;

import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP for reload, through {@code sun.misc.Signal} (jdk.unsupported; the only way in Java 17).
 * Guarded: where the signal cannot be handled (another OS, a JVM run with -Xrs) the proxy runs
 * on and file watching still reloads.
 */
public final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /** Runs {@code action} on each SIGHUP; returns false when SIGHUP cannot be handled here. */
    public static boolean onHangup(Runnable action) {
        try {
            // Reached by reflection: javac warns on every compile-time use of sun.misc, and the
            // build fails on warnings (docs/architecture.md, "Build-enforced quality").
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            Object onSignal = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "SIGHUP handler";
                    });
            signal.getMethod("handle", signal, handler).invoke(null, hup, onSignal);
            return true;
        } catch (Throwable e) {
            log.warn("SIGHUP cannot be handled here ({}); the configuration file is still watched", e.toString());
            return false;
        }
    }
}
