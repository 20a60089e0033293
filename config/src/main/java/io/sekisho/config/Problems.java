package io.sekisho.config;

import io.sekisho.config.Problem.Severity;
import io.sekisho.policy.Nullable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Collects every problem found in one file, so a single run reports them all. */
final class Problems {
    private final String file;
    private final List<Problem> found = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void error(@Nullable Node at, String message) {
        add(at == null ? null : at.getStartMark(), Severity.ERROR, message);
    }

    void warning(@Nullable Node at, String message) {
        add(at == null ? null : at.getStartMark(), Severity.WARNING, message);
    }

    /** SnakeYAML marks are 0-based; problems are 1-based, as editors show them. */
    void add(@Nullable Mark mark, Severity severity, String message) {
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        found.add(new Problem(file, line, column, severity, message));
    }

    void add(int line, int column, Severity severity, String message) {
        found.add(new Problem(file, line, column, severity, message));
    }

    boolean hasErrors() {
        return found.stream().anyMatch(p -> p.severity() == Severity.ERROR);
    }

    /** In file order; problems at the same place keep the order they were found in. */
    List<Problem> inFileOrder() {
        List<Problem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return sorted;
    }

    List<Problem> warningsInFileOrder() {
        return inFileOrder().stream().filter(p -> p.severity() == Severity.WARNING).toList();
    }
}
