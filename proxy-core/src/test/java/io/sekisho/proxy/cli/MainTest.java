package io.sekisho.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Policy;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line, with the loader and engine stood in for. */
class MainTest {
    private final StringWriter out = new StringWriter();

    private int run(Wiring wiring, String... args) {
        CommandLine cl = Main.commandLine(wiring);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    private static Wiring loading(LoadResult result) {
        return new Wiring() {
            @Override
            public LoadResult load(Path file) {
                return result;
            }

            @Override
            public SekishoConfig builtInDefault() {
                return TestConfigs.builder().build();
            }

            @Override
            public Policy policyFor(SekishoConfig config) {
                return TestPolicy.allowing();
            }
        };
    }

    @Test
    void helpListsTheSubcommands() {
        assertThat(run(Wiring.DEFAULT, "--help")).isZero();
        assertThat(out.toString()).contains("run", "check", "ca", "--version");
    }

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"run", "check", "ca", "ca init", "explain", "import-squid", "pac"})
    void everySubcommandHasHelp(String subcommand) {
        List<String> args = new ArrayList<>(List.of(subcommand.split(" ")));
        args.add("--help");
        assertThat(run(Wiring.DEFAULT, args.toArray(new String[0]))).isZero();
        assertThat(out.toString()).startsWith("Usage: sekisho " + subcommand + " ").contains("--help");
    }

    @Test
    void versionComesFromTheManifestOrSaysDev() {
        assertThat(run(Wiring.DEFAULT, "--version")).isZero();
        assertThat(out.toString().trim()).isEqualTo("sekisho dev");
    }

    @Test
    void checkPrintsEveryProblemAndFailsOnErrors() {
        LoadResult bad = new LoadResult(null, List.of(
                new Problem("s.yaml", 3, 5, Problem.Severity.ERROR, "unknown key 'lisen'"),
                new Problem("s.yaml", 7, 3, Problem.Severity.WARNING, "duplicate entry: remove line 8")));

        assertThat(run(loading(bad), "check", "--config", "s.yaml")).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("s.yaml:3:5: unknown key 'lisen'\n"
                + "s.yaml:7:3: warning: duplicate entry: remove line 8\n"
                + "config invalid: 1 error, 1 warning\n");
    }

    @Test
    void checkOfAGoodFileSaysOkOnOneLine() {
        LoadResult good = new LoadResult(TestConfigs.builder().build(), List.of());

        assertThat(run(loading(good), "check", "--config", "s.yaml")).isZero();
        assertThat(out.toString()).startsWith("config OK: ").endsWith(", 0 warnings\n").hasLineCount(1);
    }

    @Test
    void checkWithoutConfigIsAUsageError() {
        assertThat(run(Wiring.DEFAULT, "check")).isEqualTo(2);
        assertThat(out.toString()).contains("--config");
    }
}
