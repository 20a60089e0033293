package io.sekisho.config;

/**
 * One finding about a configuration file, printed as {@code file:line:col: message}.
 * Lines and columns are 1-based, as editors show them.
 */
public record Problem(String file, int line, int column, Severity severity, String message) {
    public enum Severity { ERROR, WARNING }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (severity == Severity.WARNING ? "warning: " : "") + message;
    }
}
