package io.sekisho.policy;

import java.util.List;

/**
 * Read-only view of HTTP headers: names compared case-insensitively, order kept. proxy-core
 * adapts Netty's headers to it without copying; tests use {@link SimpleHeaders}.
 */
public interface Headers {

    /** The first value of the header, or null when absent. */
    @Nullable String get(String name);

    /** Every value of the header, in order; empty when absent. */
    List<String> getAll(String name);

    /** Number of header lines. */
    int size();

    /** Name of the i-th header line, as sent. */
    String name(int i);

    /** Value of the i-th header line. */
    String value(int i);

    default boolean contains(String name) {
        return get(name) != null;
    }
}
