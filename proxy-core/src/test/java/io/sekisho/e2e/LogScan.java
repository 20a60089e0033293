package io.sekisho.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Looks for secrets in log files. A finding names the file and which secret (by its first
 * characters only), so a failing test does not print the secret in full either.
 */
final class LogScan {
    private LogScan() {
    }

    /** The given files, and every {@code *.log}, {@code *.txt}, {@code *.err}, {@code *.out}, {@code *.jsonl} under the given directories. */
    static Set<Path> logFiles(Path... roots) {
        Set<Path> files = new LinkedHashSet<>();
        for (Path root : roots) {
            if (Files.isRegularFile(root)) {
                files.add(root);
            } else if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).filter(LogScan::looksLikeLog).forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return files;
    }

    private static boolean looksLikeLog(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".log") || n.endsWith(".txt") || n.endsWith(".err") || n.endsWith(".out") || n.endsWith(".jsonl")
                || n.equals("chrome_debug.log");
    }

    /** "file: secret abcd…" for each secret found in each file; also looks for URL-encoded forms. */
    static List<String> findings(Collection<Path> files, Collection<String> secrets) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            for (String secret : secrets) {
                String encoded = java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
                if (text.contains(secret) || text.contains(encoded)) {
                    found.add(file + ": secret " + secret.substring(0, 4) + "…");
                }
            }
        }
        return found;
    }
}
