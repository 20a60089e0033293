package io.sekisho.config;

import io.sekisho.policy.Nullable;
import java.util.List;

/**
 * What loading a file produced: a config when there were no errors, and every problem found
 * (errors and warnings) in file order.
 */
public record LoadResult(@Nullable SekishoConfig config, List<Problem> problems) {
    public LoadResult {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return config != null;
    }

    public List<Problem> errors() {
        return problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> p.severity() == Problem.Severity.WARNING).toList();
    }
}
