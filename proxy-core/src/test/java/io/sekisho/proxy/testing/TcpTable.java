package io.sekisho.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The kernel's TCP connection tables (Linux): what a test can see of sockets it does not hold. */
public final class TcpTable {
    /** 127.0.0.1 as /proc/net/tcp prints it, and as /proc/net/tcp6 prints ::ffff:127.0.0.1 (Java's sockets). */
    private static final List<String> LOOPBACK = List.of("0100007F", "0000000000000000FFFF00000100007F");

    /** The state column's value for TIME_WAIT (include/net/tcp_states.h). */
    private static final String TIME_WAIT = "06";

    private TcpTable() {
    }

    /**
     * Whether a socket has 127.0.0.1:{@code port} as its remote end, in any state but TIME_WAIT
     * (what is left of an earlier connection whose remote port the new one happens to reuse).
     */
    public static boolean hasConnectionTo(int port) {
        String suffix = String.format(Locale.ROOT, ":%04X", port);
        return Stream.of("tcp", "tcp6").anyMatch(table -> {
            try (Stream<String> lines = Files.lines(Path.of("/proc/net", table))) {
                return lines.skip(1).map(l -> l.trim().split("\\s+"))
                        .filter(f -> !f[3].equals(TIME_WAIT)).map(f -> f[2])
                        .anyMatch(remote -> remote.endsWith(suffix)
                                && LOOPBACK.contains(remote.substring(0, remote.length() - suffix.length())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
