package io.sekisho.proxy.report;

import java.io.PrintWriter;
import java.util.List;

/**
 * The rollout report as one self-contained HTML file: inline CSS and inline SVG bar charts, no
 * script, no external asset (it is read on machines without internet access, and mailed).
 */
public final class ReportHtml {
    private static final int BAR_WIDTH = 420;
    private static final int ROW_HEIGHT = 22;

    private ReportHtml() {
    }

    public static void write(RolloutReport r, PrintWriter out) {
        RolloutReport.Tally all = r.all();
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Sekisho rollout report</title><style>"
                + "body{font:14px system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.5em}"
                + "table{border-collapse:collapse;margin:0.5em 0 1.5em}"
                + "td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}"
                + "td.n{text-align:right}.bad{color:#b00020;font-weight:600}"
                + "svg text{font:12px system-ui,sans-serif}</style></head><body>");
        out.printf("<h1>Sekisho rollout report</h1><p>%d line(s) from %d file(s), %d unreadable. From %s to %s.</p>%n",
                r.lines(), r.files().size(), r.unreadable(), esc(all.first()), esc(all.last()));
        out.printf("<p><b>%d</b> allowed, <b class=\"bad\">%d</b> denied or would be denied in enforce mode.</p>%n",
                all.allowed(), all.blocked());
        out.println("<h2>Top reasons</h2>");
        chart(out, r.reasons(ReportText.TOP), true);
        out.println("<h2>Top hosts</h2>");
        chart(out, r.hosts(ReportText.TOP), false);
        out.println("<h2>Accounts seen, by user or client</h2><table><tr><th>account</th><th>user/client</th>"
                + "<th>requests</th><th>allowed</th><th>denied*</th><th>first seen</th><th>last seen</th></tr>");
        for (RolloutReport.Row row : r.accounts()) {
            String[] k = row.key().split("\t", 2);
            RolloutReport.Tally t = row.tally();
            out.printf("<tr><td>%s</td><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
                    + "<td class=\"n%s\">%d</td><td>%s</td><td>%s</td></tr>%n", esc(k[0]), esc(k[1]), t.total(),
                    t.allowed(), t.blocked() > 0 ? " bad" : "", t.blocked(), esc(t.first()), esc(t.last()));
        }
        out.println("</table><p>* denied, or allowed in report mode only (wouldDeny):"
                + " enforce mode would deny these.</p>");
        out.println("<h2>Sign-in flows</h2><table><tr><th>flow</th><th>account</th><th>requests</th><th>allowed</th>"
                + "<th>denied*</th></tr>");
        for (RolloutReport.Row row : r.flows()) {
            String[] k = row.key().split("\t", 2);
            RolloutReport.Tally t = row.tally();
            out.printf("<tr><td>%s</td><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
                    + "<td class=\"n%s\">%d</td></tr>%n", esc(k[0]), esc(k[1]), t.total(), t.allowed(),
                    t.blocked() > 0 ? " bad" : "", t.blocked());
        }
        out.println("</table></body></html>");
        out.flush();
    }

    /** A horizontal bar chart: allowed in grey-blue, denied* in red, one row per key. */
    private static void chart(PrintWriter out, List<RolloutReport.Row> rows, boolean reasons) {
        long max = rows.stream().mapToLong(row -> row.tally().total()).max().orElse(1);
        int labelWidth = 330;
        out.printf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">%n",
                labelWidth + BAR_WIDTH + 80, rows.size() * ROW_HEIGHT + 4);
        int y = 2;
        for (RolloutReport.Row row : rows) {
            String key = reasons ? row.key().replace("\tblocked", " (denied*)").replace("\tallowed", "") : row.key();
            long allowed = row.tally().allowed();
            long blocked = row.tally().blocked();
            int wa = (int) (BAR_WIDTH * allowed / Math.max(1, max));
            int wb = (int) (BAR_WIDTH * blocked / Math.max(1, max));
            out.printf("<text x=\"0\" y=\"%d\">%s</text>", y + 14, esc(shorten(key)));
            out.printf("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"#5b7fa6\"/>", labelWidth, y, wa);
            out.printf("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"#c62828\"/>", labelWidth + wa, y, wb);
            out.printf("<text x=\"%d\" y=\"%d\">%d</text>%n", labelWidth + wa + wb + 6, y + 13, row.tally().total());
            y += ROW_HEIGHT;
        }
        out.println("</svg>");
    }

    private static String shorten(String s) {
        return s.length() <= 48 ? s : s.substring(0, 47) + "\u2026";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
