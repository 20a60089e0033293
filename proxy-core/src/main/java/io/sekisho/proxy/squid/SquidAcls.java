package io.sekisho.proxy.squid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code acl} lines of a squid.conf: each name with its type and values, values read inline
 * or from a quoted file name (Squid's {@code "/etc/squid/sites.txt"}), each value with its own
 * {@code file:line}.
 */
final class SquidAcls {
    /** One ACL: its type, its values, where it was first defined. */
    record Acl(String name, String type, List<Entry> values, String where) {
    }

    private final Map<String, Acl> byName = new HashMap<>();
    private final Findings findings;
    private final Path confDir;

    SquidAcls(Findings findings, Path confDir) {
        this.findings = findings;
        this.confDir = confDir;
    }

    Optional<Acl> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    void add(SquidConf.Directive d) {
        List<String> w = d.words();
        if (w.size() < 3) {
            findings.notConverted(d.where(), "acl without a type or values: " + d.text());
            return;
        }
        String name = w.get(1);
        String type = w.get(2);
        Acl acl = byName.computeIfAbsent(name, n -> new Acl(n, type, new ArrayList<>(), d.where()));
        if (!acl.type().equals(type)) {
            findings.notConverted(d.where(), "acl " + name + " was defined as " + acl.type() + " at " + acl.where());
            return;
        }
        for (int i = 3; i < w.size(); i++) {
            String v = w.get(i);
            if (v.startsWith("-") && i == 3) {
                // Squid ACL flags (-i, -n): case-insensitivity is Sekisho's default for names.
                continue;
            }
            if (v.startsWith("\"")) {
                fromFile(acl, v.replace("\"", ""), d);
            } else {
                acl.values().add(new Entry(v, d.where(), name));
            }
        }
    }

    private void fromFile(Acl acl, String name, SquidConf.Directive d) {
        Path file = confDir.resolve(name);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            findings.notConverted(d.where(), "acl " + acl.name() + ": cannot read " + file + " ("
                    + e.getMessage() + ")");
            return;
        }
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int hash = l.indexOf('#');
            String v = (hash < 0 ? l : l.substring(0, hash)).trim();
            if (!v.isEmpty()) {
                acl.values().add(new Entry(v, file + ":" + (i + 1), acl.name()));
            }
        }
    }
}
