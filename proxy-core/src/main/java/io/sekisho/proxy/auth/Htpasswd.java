package io.sekisho.proxy.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An htpasswd file of bcrypt entries ({@code user:$2y$10$...}, as {@code htpasswd -B} writes
 * them). Other hash kinds (MD5-crypt, SHA-1, crypt, plain) are skipped with a warning that names
 * the line, never its content: they are too fast to resist guessing. Verification is bcrypt, by
 * design slow (tens of milliseconds): it runs on the authentication executor, never on an event
 * loop. Immutable.
 */
final class Htpasswd {
    private static final Logger log = LoggerFactory.getLogger(Htpasswd.class);
    /** Compared against when the user is unknown, so that the answer takes as long as for a known one. */
    private static final String DUMMY = OpenBSDBCrypt.generate("2y", "unknown-user".toCharArray(),
            new byte[16], 10);

    private final Map<String, String> hashes;

    private Htpasswd(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    static Htpasswd empty() {
        return new Htpasswd(Map.of());
    }

    static Htpasswd load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String hash = colon > 0 ? line.substring(colon + 1) : "";
            if (!hash.startsWith("$2a$") && !hash.startsWith("$2b$") && !hash.startsWith("$2y$")) {
                log.warn("{}:{}: not a bcrypt entry (user:$2y$...); skipped. Write it with htpasswd -B", file, i + 1);
                continue;
            }
            hashes.putIfAbsent(line.substring(0, colon), hash);
        }
        return new Htpasswd(hashes);
    }

    /** True when {@code user} is listed and {@code password} matches its hash. Slow: off the event loop. */
    boolean verify(String user, String password) {
        String hash = hashes.get(user);
        try {
            boolean ok = OpenBSDBCrypt.checkPassword(hash != null ? hash : DUMMY, password.toCharArray());
            return hash != null && ok;
        } catch (IllegalArgumentException e) {
            // A corrupt hash in the file: the user cannot sign in (fail closed).
            return false;
        }
    }

    int size() {
        return hashes.size();
    }
}
