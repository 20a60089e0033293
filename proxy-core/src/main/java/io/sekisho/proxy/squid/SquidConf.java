package io.sekisho.proxy.squid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A squid.conf read into directives, each with the {@code file:line} it came from: comments
 * dropped, backslash continuations joined, words split on blanks (quoted words kept whole: a
 * quoted word in an ACL is the name of a file holding the values).
 */
final class SquidConf {
    /** One directive: its words, and where it starts. */
    record Directive(String file, int line, List<String> words) {
        String where() {
            return file + ":" + line;
        }

        String name() {
            return words.get(0);
        }

        String text() {
            return String.join(" ", words);
        }
    }

    private SquidConf() {
    }

    static List<Directive> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Directive> out = new ArrayList<>();
        StringBuilder joined = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (joined.length() == 0) {
                start = i + 1;
            }
            if (l.endsWith("\\")) {
                joined.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            joined.append(l);
            String text = joined.toString().trim();
            joined.setLength(0);
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            out.add(new Directive(file.toString(), start, words(text)));
        }
        return out;
    }

    /** Words split on blanks; "quoted words" keep their quotes so that file names stay recognisable. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int end;
            if (c == '"') {
                end = text.indexOf('"', i + 1);
                end = end < 0 ? text.length() : end + 1;
            } else {
                end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
            }
            out.add(text.substring(i, end));
            i = end;
        }
        return out;
    }
}
