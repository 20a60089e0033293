package io.sekisho.proxy.report;

import java.io.PrintWriter;
import java.util.List;

/** The rollout report for a terminal: fixed-width tables. */
public final class ReportText {
    static final int TOP = 15;

    private ReportText() {
    }

    public static void write(RolloutReport r, PrintWriter out) {
        RolloutReport.Tally all = r.all();
        out.printf("Sekisho rollout report: %d line(s) from %d file(s), %d unreadable%n", r.lines(), r.files().size(),
                r.unreadable());
        out.printf("From %s to %s: %d allowed, %d denied or would be denied in enforce mode%n%n", all.first(),
                all.last(), all.allowed(), all.blocked());
        out.println("Accounts seen (principal and resource), by user or client");
        out.printf("  %-14s %-24s %9s %9s %9s  %-24s %s%n", "account", "user/client", "requests", "allowed",
                "denied*", "first seen", "last seen");
        for (RolloutReport.Row row : r.accounts()) {
            String[] k = row.key().split("\t", 2);
            RolloutReport.Tally t = row.tally();
            out.printf("  %-14s %-24s %9d %9d %9d  %-24s %s%n", k[0], k[1], t.total(), t.allowed(), t.blocked(),
                    t.first(), t.last());
        }
        out.println("  * denied, or allowed in report mode only (wouldDeny): enforce mode would deny these");
        out.println();
        table(out, "Top reasons", "reason", r.reasons(TOP), true);
        table(out, "Top hosts", "host", r.hosts(TOP), false);
        out.println("Sign-in flows");
        out.printf("  %-12s %-14s %9s %9s %9s%n", "flow", "account", "requests", "allowed", "denied*");
        for (RolloutReport.Row row : r.flows()) {
            String[] k = row.key().split("\t", 2);
            RolloutReport.Tally t = row.tally();
            out.printf("  %-12s %-14s %9d %9d %9d%n", k[0], k[1], t.total(), t.allowed(), t.blocked());
        }
        out.flush();
    }

    private static void table(PrintWriter out, String title, String column, List<RolloutReport.Row> rows,
            boolean split) {
        out.println(title);
        out.printf("  %-48s %9s %9s%n", column, "requests", "denied*");
        for (RolloutReport.Row row : rows) {
            String key = split ? row.key().replace("\tblocked", " (denied*)").replace("\tallowed", "") : row.key();
            out.printf("  %-48s %9d %9d%n", key, row.tally().total(), row.tally().blocked());
        }
        out.println();
    }
}
