package io.sekisho.proxy.cli;

import io.sekisho.proxy.report.ReportHtml;
import io.sekisho.proxy.report.ReportText;
import io.sekisho.proxy.report.RolloutReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sekisho report AUDIT…}: the rollout report (text on stdout, and one HTML file with
 * {@code --html}), from JSON audit files, rotated and gzip-compressed ones included.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "The rollout report: accounts, reasons, hosts and sign-in flows from JSON audit logs"
                + " (plain or .gz), to decide when report mode can become enforce.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write one self-contained HTML file.")
    Path html;

    @Parameters(arity = "1..*", paramLabel = "AUDIT", description = "Audit log files (JSON lines, plain or gzip).")
    List<Path> files = List.of();

    @Override
    public Integer call() {
        RolloutReport r;
        try {
            r = RolloutReport.of(files);
            if (html != null) {
                try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(html, StandardCharsets.UTF_8))) {
                    ReportHtml.write(r, w);
                }
            }
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("sekisho report: " + e.getMessage());
            err.flush();
            return 3;
        }
        ReportText.write(r, spec.commandLine().getOut());
        return 0;
    }
}
