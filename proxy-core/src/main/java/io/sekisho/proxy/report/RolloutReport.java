package io.sekisho.proxy.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rollout report: what the audit log says enforce mode would change. Counts by account and
 * by who (user, else client address), with first and last seen; reasons; hosts; sign-in flows.
 * Built by streaming the files; only the distinct keys are held.
 */
public final class RolloutReport {
    /** Counts of one key. */
    public static final class Tally {
        long total;
        long blocked;
        String first = "";
        String last = "";

        void add(AuditLine l) {
            total++;
            if (l.blocked()) {
                blocked++;
            }
            if (!l.time.isEmpty()) {
                // ISO-8601 UTC strings of one format sort as text.
                first = first.isEmpty() || l.time.compareTo(first) < 0 ? l.time : first;
                last = l.time.compareTo(last) > 0 ? l.time : last;
            }
        }

        public long total() {
            return total;
        }

        public long blocked() {
            return blocked;
        }

        public long allowed() {
            return total - blocked;
        }

        public String first() {
            return first;
        }

        public String last() {
            return last;
        }
    }

    /** One row of a table: its key and its counts. */
    public record Row(String key, Tally tally) {
    }

    private final Tally all = new Tally();
    private final Map<String, Tally> accounts = new HashMap<>();
    private final Map<String, Tally> reasons = new HashMap<>();
    private final Map<String, Tally> hosts = new HashMap<>();
    private final Map<String, Tally> flows = new HashMap<>();
    private final List<Path> files = new ArrayList<>();
    private long lines;
    private long unreadable;

    /** Reads every file, in order (the report does not depend on it). */
    public static RolloutReport of(List<Path> files) throws IOException {
        RolloutReport r = new RolloutReport();
        AuditReader reader = new AuditReader();
        for (Path f : files) {
            reader.read(f, r::add);
            r.files.add(f);
        }
        r.lines = reader.lines();
        r.unreadable = reader.unreadable();
        return r;
    }

    private void add(AuditLine l) {
        all.add(l);
        Set<String> seen = new LinkedHashSet<>();
        if (!l.principalAccount.isEmpty()) {
            seen.add(l.principalAccount);
        }
        seen.addAll(l.resourceAccounts);
        String who = l.who();
        for (String account : seen) {
            accounts.computeIfAbsent(account + "\t" + who, k -> new Tally()).add(l);
        }
        reasons.computeIfAbsent(l.reason + (l.blocked() ? "\tblocked" : "\tallowed"), k -> new Tally()).add(l);
        hosts.computeIfAbsent(l.host, k -> new Tally()).add(l);
        if (!l.flow.isEmpty()) {
            String account = l.principalAccount.isEmpty() ? "-" : l.principalAccount;
            flows.computeIfAbsent(l.flow + "\t" + account, k -> new Tally()).add(l);
        }
    }

    public Tally all() {
        return all;
    }

    public long lines() {
        return lines;
    }

    public long unreadable() {
        return unreadable;
    }

    public List<Path> files() {
        return List.copyOf(files);
    }

    /** Key "account\twho", blocked first, then by count. */
    public List<Row> accounts() {
        return sorted(accounts, Comparator.comparingLong((Row r) -> -r.tally().blocked())
                .thenComparingLong(r -> -r.tally().total()).thenComparing(Row::key));
    }

    /** Key "REASON\tblocked|allowed". */
    public List<Row> reasons(int limit) {
        return top(reasons, limit);
    }

    public List<Row> hosts(int limit) {
        return top(hosts, limit);
    }

    /** Key "flow\taccount". */
    public List<Row> flows() {
        return top(flows, Integer.MAX_VALUE);
    }

    private static List<Row> top(Map<String, Tally> m, int limit) {
        List<Row> rows = sorted(m, Comparator.comparingLong((Row r) -> -r.tally().total()).thenComparing(Row::key));
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    private static List<Row> sorted(Map<String, Tally> m, Comparator<Row> order) {
        List<Row> rows = new ArrayList<>();
        m.forEach((k, v) -> rows.add(new Row(k, v)));
        rows.sort(order);
        return rows;
    }
}
