package io.sekisho.e2e.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after the whole proxy-core test suite, in its own surefire execution (pom.xml,
 * {@code secret-scan}, phase {@code integration-test}): no log the suite produced holds a
 * corpus secret, a session token or a signature value. It reads surefire's redirected
 * stdout/stderr of every test class (logback's console output included), every audit file
 * the proxy fixtures wrote under {@code target/test-logs} and the logs of forked proxies there. Not named *Test: the default
 * execution must not pick it up before the logs exist.
 */
class SecretScanAfterSuite {
    static final Path REPORTS = Path.of("target", "surefire-reports");
    static final Path FIXTURE_LOGS = Path.of("target", "test-logs");

    @Test
    void noLogOfTheSuiteHoldsASecret() throws IOException {
        List<Path> files = new ArrayList<>();
        files.addAll(list(REPORTS, "-output.txt"));
        List<Path> audits = list(FIXTURE_LOGS, ".jsonl");
        files.addAll(audits);
        // The operational logs of proxies the tests ran in JVMs of their own.
        files.addAll(list(FIXTURE_LOGS, ".log"));
        // Without the logs there is nothing to prove: the suite must have run first.
        assertThat(audits).as("audit files written by the proxy fixtures").isNotEmpty();

        List<LogSecretScanner.Finding> found = new ArrayList<>();
        LogSecretScanner scanner = LogSecretScanner.forCorpus();
        for (Path f : files) {
            found.addAll(scanner.scan(f));
        }
        assertThat(found).as("secrets in %d log files", files.size()).isEmpty();
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
