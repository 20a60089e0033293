package io.sekisho.proxy.squid;

import java.util.ArrayList;
import java.util.List;

/** What the import says about the Squid configuration, each line starting with {@code file:line}. */
final class Findings {
    private final List<String> lines = new ArrayList<>();
    private int notConverted;

    /** A construct left out of the Sekisho configuration. */
    void notConverted(String where, String message) {
        lines.add(where + ": not converted: " + message);
        notConverted++;
    }

    /** Converted, but Squid and Sekisho answer differently, or the result needs a decision. */
    void warning(String where, String message) {
        lines.add(where + ": warning: " + message);
    }

    /** Converted, with a remark. */
    void note(String where, String message) {
        lines.add(where + ": note: " + message);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    int notConvertedCount() {
        return notConverted;
    }

    int warningCount() {
        return (int) lines.stream().filter(l -> l.contains(": warning: ")).count();
    }
}
