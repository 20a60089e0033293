package io.sekisho.config;

import io.sekisho.config.Fields.Located;
import io.sekisho.policy.domain.DomainPattern;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Squid-style advice for domain lists (STYLE.md rule 10): an entry repeated within a list, and
 * the same entry in both allow and deny. They load, because the result is well defined, but
 * each warning says which entry to remove.
 *
 * <p>Overlap analysis (an entry made redundant by a wider one) belongs with the matcher in
 * {@code io.sekisho.policy.domain}; once DomainRules offers warnings this class can delegate
 * to it and keep only the mapping of list index to file location.
 */
final class DomainListWarnings {
    private DomainListWarnings() {
    }

    static void check(Problems problems, List<Located<DomainPattern>> allow, List<Located<DomainPattern>> deny) {
        repeated(problems, allow);
        repeated(problems, deny);
        Map<DomainPattern, Located<DomainPattern>> denied = firstOfEach(deny);
        for (Located<DomainPattern> entry : firstOfEach(allow).values()) {
            Located<DomainPattern> twin = denied.get(entry.value());
            if (twin != null) {
                problems.warning(entry.node(), entry.path() + ": `" + entry.value().text()
                        + "` is also in " + twin.path() + " (line " + line(twin) + "); deny wins a tie,"
                        + " so this entry has no effect: remove it, or remove the deny entry"
                        + " if the host should be allowed");
            }
        }
    }

    /** Entries equal after normalisation ({@code Example.COM.} and {@code example.com}). */
    static void repeated(Problems problems, List<Located<DomainPattern>> list) {
        Map<DomainPattern, Located<DomainPattern>> first = new HashMap<>();
        for (Located<DomainPattern> entry : list) {
            Located<DomainPattern> earlier = first.putIfAbsent(entry.value(), entry);
            if (earlier != null) {
                String same = earlier.value().text().equals(entry.value().text())
                        ? "is already listed as " + earlier.path()
                        : "is the same entry as " + earlier.path() + " `" + earlier.value().text() + "`";
                problems.warning(entry.node(), entry.path() + ": `" + entry.value().text() + "` " + same
                        + " (line " + line(earlier) + "); remove this one");
            }
        }
    }

    private static Map<DomainPattern, Located<DomainPattern>> firstOfEach(List<Located<DomainPattern>> list) {
        Map<DomainPattern, Located<DomainPattern>> first = new java.util.LinkedHashMap<>();
        for (Located<DomainPattern> entry : list) {
            first.putIfAbsent(entry.value(), entry);
        }
        return first;
    }

    private static int line(Located<?> entry) {
        return entry.node().getStartMark().getLine() + 1;
    }
}
