package io.sekisho.proxy.cli;

import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sekisho check --config FILE}: every problem as file:line:col, exit 1 on errors. */
@Command(name = "check", description = "Validate a configuration file and print every problem.")
final class CheckCommand implements Callable<Integer> {
    private final Wiring wiring;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML file to check.")
    Path config;

    CheckCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LoadResult r = wiring.load(config);
        for (Problem p : r.problems()) {
            out.println(p);
        }
        int errors = r.errors().size();
        int warnings = r.warnings().size();
        if (errors > 0 || !r.ok()) {
            out.printf("%s: %d error(s), %d warning(s)%n", config, errors, warnings);
            out.flush();
            return 1;
        }
        out.printf("%s: OK, %d warning(s)%n", config, warnings);
        out.flush();
        return 0;
    }
}
