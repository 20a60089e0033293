package io.sekisho.proxy.squid;

import java.nio.file.Path;
import java.util.List;

/** Writes the converted configuration as YAML, each value with the {@code file:line} it came from. */
final class SquidYaml {
    /**
     * {@code clients.allow} is not a key of the configuration yet (the identity work adds it), so
     * the client networks are written as a commented block; flip this when the key exists.
     */
    static final boolean CLIENTS_KEY_EXISTS = false;

    private SquidYaml() {
    }

    static String write(Path source, SquidImport.Model m, List<String> proposal) {
        StringBuilder y = new StringBuilder();
        y.append("# Converted from ").append(source.getFileName()).append(" by sekisho import-squid.\n")
                .append("# Read the findings it printed, then: sekisho check --config <this file>\n")
                .append("# Report mode first: every decision is logged (wouldDeny) and nothing is blocked;\n")
                .append("# switch to enforce after sekisho report shows only expected denials (docs/migration.md).\n")
                .append("version: 1\n");
        if (!m.listen.isEmpty()) {
            y.append("listen: \"").append(m.listen).append("\"        # ").append(m.listenWhere).append('\n');
        }
        y.append("mode: report\n").append("domains:\n");
        list(y, "allow", m.allow);
        list(y, "deny", m.deny);
        if (!m.connectPorts.isEmpty()) {
            y.append("ports:\n  connect: ").append(m.connectPorts.stream().distinct().toList()).append('\n');
        }
        if (!m.parent.isEmpty()) {
            y.append("upstream:\n  parent: \"").append(m.parent).append("\"        # ").append(m.parentWhere)
                    .append('\n');
        }
        clients(y, m.clients);
        if (!proposal.isEmpty()) {
            y.append('\n');
            proposal.forEach(l -> y.append(l).append('\n'));
        }
        return y.toString();
    }

    private static void list(StringBuilder y, String key, List<Entry> entries) {
        if (entries.isEmpty()) {
            y.append("  ").append(key).append(": []\n");
            return;
        }
        y.append("  ").append(key).append(":\n");
        for (Entry e : entries) {
            y.append("    - \"").append(e.value()).append("\"        # ").append(e.where())
                    .append(e.acl().isEmpty() ? "" : " acl " + e.acl()).append('\n');
        }
    }

    private static void clients(StringBuilder y, List<Entry> clients) {
        if (clients.isEmpty()) {
            return;
        }
        String c = CLIENTS_KEY_EXISTS ? "" : "# ";
        if (!CLIENTS_KEY_EXISTS) {
            y.append("\n# Pending: clients.allow is not a configuration key yet. Until it is, limit who reaches\n")
                    .append("# the listener with the network (firewall, security group). Then uncomment:\n");
        }
        y.append(c).append("clients:\n").append(c).append("  allow:\n");
        for (Entry e : clients) {
            y.append(c).append("    - \"").append(e.value()).append("\"        # ").append(e.where()).append(" acl ")
                    .append(e.acl()).append('\n');
        }
    }
}
