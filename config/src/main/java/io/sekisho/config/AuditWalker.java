package io.sekisho.config;

import io.sekisho.config.SekishoConfig.Audit;
import io.sekisho.policy.Nullable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.yaml.snakeyaml.nodes.Node;

/** The {@code audit:} section: the JSON audit, the optional access log, rotation, failure handling. */
final class AuditWalker {
    static final List<String> KEYS = List.of("file", "onFailure", "instance", "accessLog", "rotate");
    static final List<String> ACCESS_KEYS = List.of("file", "format");
    static final List<String> ROTATE_KEYS = List.of("maxMegabytes", "keep");

    private final Problems problems;
    private final Fields fields;

    AuditWalker(Problems problems, Fields fields) {
        this.problems = problems;
        this.fields = fields;
    }

    Audit walk(Section audit) {
        String file = Objects.requireNonNullElse(file(audit, "audit.file", "-"), "-");
        boolean serve = fields.choice(audit, "onFailure", "deny", List.of("deny", "serve")).equals("serve");
        String instance = fields.string(audit, "instance", "");
        Section access = audit.section("accessLog", ACCESS_KEYS);
        String accessFile = null;
        if (access.present()) {
            if (!access.has("file")) {
                problems.error(access.anchor(), "audit.accessLog: `file` is required");
            }
            accessFile = file(access, "audit.accessLog.file", null);
        }
        String format = fields.choice(access, "format", "squid", List.of("squid", "combined"));
        Section rotate = audit.section("rotate", ROTATE_KEYS);
        int maxMegabytes = fields.integer(rotate, "maxMegabytes", 0, 0, 1_000_000);
        int keep = fields.integer(rotate, "keep", 5, 1, 1000);
        return new Audit(file, serve, instance, accessFile, format, maxMegabytes, keep);
    }

    /** "-" is standard output; a path must have an existing directory to write into. */
    private @Nullable String file(Section s, String path, @Nullable String dflt) {
        Node node = s.value("file");
        String text = fields.string(s, "file", "-");
        if (node == null) {
            return dflt;
        }
        if (text.equals("-")) {
            return "-";
        }
        if (text.isBlank()) {
            problems.error(node, path + ": the file name is empty; write \"-\" for standard output");
            return dflt;
        }
        Path file = fields.resolve(path, node, text);
        if (file == null) {
            return dflt;
        }
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            problems.error(node, path + ": the directory " + dir + " does not exist");
        } else if (Files.isDirectory(file)) {
            problems.error(node, path + ": " + file + " is a directory");
        }
        return file.toString();
    }
}
