package io.sekisho.proxy.reload;

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
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
            return true;
        } catch (Throwable e) {
            log.warn("SIGHUP cannot be handled here ({}); the configuration file is still watched", e.toString());
            return false;
        }
    }
}
