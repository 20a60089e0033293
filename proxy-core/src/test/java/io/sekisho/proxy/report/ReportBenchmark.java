package io.sekisho.proxy.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * How many audit lines per second {@code sekisho report} reads: a generated million-line log
 * (AuditLogs, written by the proxy's AuditJson), plain and gzip-compressed, three timed runs
 * each after one warm-up. A benchmark, not a test: run it by hand and put the figure in
 * docs/report.md.
 *
 * <pre>java -cp proxy-core/target/test-classes:proxy-core/target/classes:… io.sekisho.proxy.report.ReportBenchmark</pre>
 */
public final class ReportBenchmark {
    private static final long LINES = 1_000_000;

    private ReportBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("sekisho-report-bench");
        Path plain = dir.resolve("audit.log");
        try (BufferedWriter w = Files.newBufferedWriter(plain)) {
            AuditLogs.write(w, 0, LINES);
        }
        Path gz = dir.resolve("audit.log.1.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
            Files.copy(plain, out);
        }
        System.out.printf("%d lines: %d MB plain, %d MB gzip%n", LINES, Files.size(plain) >> 20, Files.size(gz) >> 20);
        for (Path f : List.of(plain, gz)) {
            RolloutReport.of(List.of(f));
            for (int run = 1; run <= 3; run++) {
                long t0 = System.nanoTime();
                RolloutReport r = RolloutReport.of(List.of(f));
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s run %d: %d lines in %.2f s = %.0f lines/s%n", f.getFileName(), run, r.lines(), s,
                        r.lines() / s);
            }
        }
        Files.delete(plain);
        Files.delete(gz);
        Files.delete(dir);
    }
}
