package io.sekisho.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code sekisho check} prints: each problem as {@code file:line:col: message}, in file
 * order, then one summary line. The caller exits non-zero when {@link LoadResult#ok()} is false.
 */
public final class ConfigReport {
    private ConfigReport() {
    }

    /** Every problem line, then the summary; lines separated by '\n', no trailing newline. */
    public static String format(LoadResult result) {
        List<String> lines = new ArrayList<>();
        for (Problem p : result.problems()) {
            lines.add(p.toString());
        }
        lines.add(summary(result));
        return String.join("\n", lines);
    }

    /**
     * {@code config OK: 3 allow rules, 1 deny rule, 0 warnings}, or
     * {@code config invalid: 2 errors, 1 warning}.
     */
    public static String summary(LoadResult result) {
        int warnings = result.warnings().size();
        if (!result.ok()) {
            return "config invalid: " + count(result.errors().size(), "error") + ", " + count(warnings, "warning");
        }
        // LoadResult.ok() is true only with a config.
        var policy = Objects.requireNonNull(result.config()).policy();
        return "config OK: " + count(policy.allow().size(), "allow rule") + ", "
                + count(policy.deny().size(), "deny rule") + ", " + count(warnings, "warning");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
