package io.sekisho.proxy.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.HeadlessChromium;
import io.sekisho.proxy.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sekisho report} on a generated report-mode rollout split over a live file, a rotated
 * one and a gzip-compressed one: the counts, first and last seen, reasons, hosts and flows; the
 * HTML file has its charts inline and no external asset, and headless Chromium renders it (the
 * screenshot stays in target/report-screenshot.png).
 */
@Timeout(120)
class ReportCommandTest {
    private static final long LINES = 10_000;

    @TempDir
    static Path dir;
    private static List<Path> logs;

    @BeforeAll
    static void logs() throws Exception {
        Path gz = dir.resolve("audit.log.2.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            AuditLogs.write(out, 0, 4_000);
        }
        Path rotated = dir.resolve("audit.log.1");
        try (Writer w = Files.newBufferedWriter(rotated)) {
            AuditLogs.write(w, 4_000, 7_000);
            w.write("not json at all\n\n");
        }
        Path live = dir.resolve("audit.log");
        try (Writer w = Files.newBufferedWriter(live)) {
            AuditLogs.write(w, 7_000, LINES);
        }
        logs = List.of(gz, rotated, live);
    }

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (PrintStream p = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(p);
            assertThat(Main.execute(io.sekisho.proxy.cli.Wiring.DEFAULT, args)).isZero();
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void countsAccountsReasonsHostsAndFlowsAcrossRotatedAndCompressedFiles() throws Exception {
        RolloutReport r = RolloutReport.of(logs);
        assertThat(r.lines()).isEqualTo(LINES + 1);
        assertThat(r.unreadable()).isEqualTo(1);
        assertThat(r.all().total()).isEqualTo(LINES);
        assertThat(r.all().blocked()).isEqualTo(3 * LINES / 10);
        assertThat(r.all().first()).isEqualTo("2026-11-30T08:00:00.000Z");
        RolloutReport.Row foreign = r.accounts().get(0);
        assertThat(foreign.key()).startsWith("999988887777\t");
        assertThat(foreign.tally().blocked()).isEqualTo(foreign.tally().total()).isPositive();
        long foreignTotal = r.accounts().stream().filter(x -> x.key().startsWith("999988887777\t"))
                .mapToLong(x -> x.tally().total()).sum();
        assertThat(foreignTotal).isEqualTo(LINES / 10);
        assertThat(r.accounts()).anyMatch(x -> x.key().equals("111122223333\tuser2@corp.example"))
                .anyMatch(x -> x.key().equals("111122223333\t10.0.0.1"));
        assertThat(r.reasons(3).get(0).key()).isEqualTo("AWS_ACCOUNT_ALLOWED\tallowed");
        assertThat(r.hosts(1).get(0).key()).isEqualTo("s3.eu-west-1.amazonaws.com");
        assertThat(r.flows()).extracting(RolloutReport.Row::key)
                .containsExactlyInAnyOrder("portal\t111122223333", "federation\t-");
    }

    @Test
    void textAndASelfContainedHtmlFileThatChromiumRenders() throws Exception {
        Path html = dir.resolve("report.html");
        String text = run("report", "--html", html.toString(), logs.get(0).toString(), logs.get(1).toString(),
                logs.get(2).toString());
        assertThat(text).contains("10001 line(s) from 3 file(s), 1 unreadable",
                "7000 allowed, 3000 denied or would be denied", "999988887777", "AWS_SIGNIN_TOKEN_UNKNOWN (denied*)",
                "federation");
        String page = Files.readString(html);
        assertThat(page).contains("<svg", "<rect").doesNotContain("<script").doesNotContain("src=")
                .doesNotContain("href=").doesNotContain("@import").doesNotContain("url(");
        HeadlessChromium.assumeAvailable();
        try (HeadlessChromium browser = HeadlessChromium.builder(dir.resolve("browser")).launch()) {
            var page2 = browser.open(html.toUri().toString());
            assertThat(page2.title()).isEqualTo("Sekisho rollout report");
            assertThat(page2.text()).contains("Top reasons", "999988887777");
            Path shot = browser.screenshot(Path.of("target", "report-screenshot.png").toAbsolutePath());
            assertThat(Files.size(shot)).isGreaterThan(1000);
        }
    }
}
