package io.sekisho.proxy.cli;

import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.audit.AccessLogFormat;
import io.sekisho.proxy.audit.AuditSinkSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code audit.*} as the audit writer opens it; an empty {@code instance} becomes the host name. */
final class AuditSpecs {
    private AuditSpecs() {
    }

    static AuditSinkSpec of(SekishoConfig.Audit a, int capacity) {
        String instance = a.instance().isEmpty() ? hostName() : a.instance();
        return new AuditSinkSpec(a.file(), instance, a.accessLogFile(),
                AccessLogFormat.valueOf(a.accessLogFormat().toUpperCase(Locale.ROOT)), capacity,
                a.rotateMegabytes() * 1024L * 1024L, a.rotateKeep());
    }

    /** The kernel's host name (a container's is its pod or container name); read once, at start. */
    static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: ask the JDK below.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
