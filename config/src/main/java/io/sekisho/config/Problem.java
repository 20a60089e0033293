package io.sekisho.config;

/**
 * One finding about a configuration file, printed as {@code file:line:col: message}.
 * Lines and columns are 1-based, as editors show them; line 0 means the file as a whole
 * (missing, unreadable, not UTF-8) and prints as {@code file: message}.
 */
public record Problem(String file, int line, int column, Severity severity, String message) {
    public enum Severity { ERROR, WARNING }

    @Override
    public String toString() {
        String where = line == 0 ? file + ": " : file + ":" + line + ":" + column + ": ";
        return where + (severity == Severity.WARNING ? "warning: " : "") + message;
    }
}
