package io.sekisho.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files (STYLE.md rule 11): {@code bad/<case>.yaml} must fail to load and
 * {@code warn/<case>.yaml} must load, each printing exactly the lines of
 * {@code <case>.expected} — which problem, where, and the summary.
 *
 * <p>The expected files are location independent: a file label {@code <dir>/x.yaml} is written
 * {@code x.yaml}, and any other occurrence of the case directory (in a message naming a file
 * path) is written {@code <dir>}.
 */
class GoldenDiagnosticsTest {

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        List<Arguments> out = new ArrayList<>();
        for (String dir : List.of("bad", "warn")) {
            for (Path yaml : yamlFiles(dir)) {
                out.add(Arguments.of(dir, yaml.getFileName().toString().replaceFirst("\\.yaml$", "")));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("cases")
    void reportMatchesGoldenFile(String dir, String name) throws Exception {
        Path yaml = resourceDir(dir).resolve(name + ".yaml");
        List<String> expected = Files.readAllLines(resourceDir(dir).resolve(name + ".expected"));

        LoadResult result = ConfigLoader.load(yaml);

        assertThat(relativise(ConfigReport.format(result), yaml.getParent())).containsExactlyElementsOf(expected);
        assertThat(result.ok()).as("bad/ must fail, warn/ must load").isEqualTo(dir.equals("warn"));
        if (dir.equals("warn")) {
            assertThat(result.config().warnings()).isEqualTo(result.warnings()).isNotEmpty();
        }
    }

    @Test
    void everyCaseHasAnExpectedFileAndThereAreAtLeastTwentyBadCases() throws Exception {
        for (String dir : List.of("bad", "warn")) {
            for (Path yaml : yamlFiles(dir)) {
                String name = yaml.getFileName().toString().replaceFirst("\\.yaml$", ".expected");
                Path expected = yaml.resolveSibling(name);
                assertThat(expected).as("golden file for " + yaml.getFileName()).exists();
            }
        }
        assertThat(yamlFiles("bad")).hasSizeGreaterThanOrEqualTo(20);
    }

    private static List<String> relativise(String report, Path dir) {
        String prefix = dir.toString() + "/";
        List<String> lines = new ArrayList<>();
        for (String line : report.split("\n", -1)) {
            String l = line.startsWith(prefix) ? line.substring(prefix.length()) : line;
            lines.add(l.replace(dir.toString(), "<dir>"));
        }
        return lines;
    }

    private static List<Path> yamlFiles(String dir) throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(resourceDir(dir))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static Path resourceDir(String dir) throws URISyntaxException {
        return Path.of(GoldenDiagnosticsTest.class.getResource("/" + dir).toURI());
    }
}
