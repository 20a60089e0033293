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
                int skip = continuation(line, i);
                if (skip > 0) {
                    i += skip;
                    continue;
                }
                w.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == '\'') {
                i = singleQuoted(line, i + 1, w, source);
                inWord = true;
            } else if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                i = ansiC(line, i + 2, w, source);
                inWord = true;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, w, source);
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                inWord = flush(words, w, inWord);
                i++;
            } else {
                w.append(c);
                inWord = true;
                i++;
            }
        }
        flush(words, w, inWord);
        return words;
    }

    /** Ends the word in {@code w}, if one was started; false: no word is open now. */
    private static boolean flush(List<String> words, StringBuilder w, boolean inWord) {
        if (inWord) {
            words.add(w.toString());
            w.setLength(0);
        }
        return false;
    }

    /** The length of a backslash-newline continuation at {@code i} (2, or 3 with CRLF), 0 if there is none. */
    private static int continuation(String line, int i) {
        char next = line.charAt(i + 1);
        if (next != '\n' && next != '\r') {
            return 0;
        }
        return next == '\r' && i + 2 < line.length() && line.charAt(i + 2) == '\n' ? 3 : 2;
    }

    private static int singleQuoted(String line, int i, StringBuilder w, String source) throws InputException {
        int end = line.indexOf('\'', i);
        if (end < 0) {
            throw new InputException(source + ": unclosed single quote");
        }
        w.append(line, i, end);
        return end + 1;
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
