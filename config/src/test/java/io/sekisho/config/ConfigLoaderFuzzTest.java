package io.sekisho.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target (docs/fuzzing.md): {@link ConfigLoader#load}, what {@code sekisho check} and
 * {@code run} call, on any bytes as the file. It must never throw, and must return either a
 * config without errors or no config and at least one error; every problem names the file,
 * says something, and points at a line and column inside the text (line 0 only for the file
 * as a whole, then column 0).
 */
class ConfigLoaderFuzzTest {
    private static final Path DIR = tempDir();
    private static final Path FILE = DIR.resolve("sekisho.yaml");

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("config-fuzz");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void load(byte[] input) throws IOException {
        Files.write(FILE, input);
        LoadResult r = ConfigLoader.load(FILE);
        assertThat(r).isNotNull();
        if (r.config() == null) {
            assertThat(r.errors()).as("no config, so at least one error").isNotEmpty();
        } else {
            assertThat(r.errors()).as("a config, so no error").isEmpty();
        }
        int lines = lines(new String(input, StandardCharsets.UTF_8));
        for (Problem p : r.problems()) {
            assertThat(p.file()).isEqualTo(FILE.toString());
            assertThat(p.message()).as("message of %s", p).isNotBlank();
            if (p.line() == 0) {
                assertThat(p.column()).as("column of %s", p).isZero();
            } else {
                assertThat(p.line()).as("line of %s", p).isBetween(1, lines + 1);
                assertThat(p.column()).as("column of %s", p).isPositive();
            }
        }
    }

    /** Lines as YAML counts them: CR LF, CR, LF, NEL, LS and PS each end one (YAML 1.1 §5.4). */
    private static int lines(String text) {
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                continue;
            }
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                n++;
            }
        }
        return n;
    }
}
