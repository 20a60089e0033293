package io.sekisho.proxy.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a POSIX shell command line into words: single quotes, double quotes with backslash
 * escapes, bash's {@code $'…'} (Chromium's "Copy as cURL (bash)" writes it), and
 * backslash-newline continuations. No expansion of variables or globs.
 */
final class ShellWords {
    private ShellWords() {
    }

    static List<String> split(String line, String source) throws InputException {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(i + 1);
                if (next == '\n' || next == '\r') {
                    i += next == '\r' && i + 2 < line.length() && line.charAt(i + 2) == '\n' ? 3 : 2;
                    continue;
                }
                w.append(next);
                inWord = true;
                i += 2;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new InputException(source + ": unclosed single quote");
                }
                w.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                i = ansiC(line, i + 2, w, source);
                inWord = true;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, w, source);
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                w.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    private static int doubleQuoted(String line, int i, StringBuilder w, String source) throws InputException {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                if (line.charAt(i + 1) != '\n') {
                    w.append(line.charAt(i + 1));
                }
                i += 2;
            } else {
                w.append(c);
                i++;
            }
        }
        throw new InputException(source + ": unclosed double quote");
    }

    private static int ansiC(String line, int i, StringBuilder w, String source) throws InputException {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length()) {
                char e = line.charAt(i + 1);
                i += 2;
                switch (e) {
                    case 'n' -> w.append('\n');
                    case 'r' -> w.append('\r');
                    case 't' -> w.append('\t');
                    case 'x' -> {
                        int end = Math.min(i + 2, line.length());
                        w.append((char) Integer.parseInt(line.substring(i, end), 16));
                        i = end;
                    }
                    case 'u' -> {
                        int end = Math.min(i + 4, line.length());
                        w.append((char) Integer.parseInt(line.substring(i, end), 16));
                        i = end;
                    }
                    default -> w.append(e);
                }
            } else {
                w.append(c);
                i++;
            }
        }
        throw new InputException(source + ": unclosed $' quote");
    }
}
