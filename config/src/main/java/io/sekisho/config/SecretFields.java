package io.sekisho.config;

import io.sekisho.config.SekishoConfig.Secret;
import io.sekisho.policy.Nullable;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** A secret value, {@code {env: NAME}} or {@code {file: PATH}}: {@code tls.ca.password}, {@code cluster.tokenKey}. */
final class SecretFields {
    static final List<String> SECRET_KEYS = List.of("env", "file");

    private final Problems problems;
    private final Fields fields;

    SecretFields(Problems problems, Fields fields) {
        this.problems = problems;
        this.fields = fields;
    }

    /**
     * A secret (a password, a key) is never inline: a YAML file is copied, committed and pasted into tickets.
     * Messages here never repeat what was written, in case it is the secret itself.
     */
    @Nullable Secret secret(Section parent, String key) {
        Node node = parent.value(key);
        if (node == null) {
            return null;
        }
        String path = parent.path(key);
        if (Nodes.isNull(node)) {
            problems.error(parent.keyNode(key), path + ": has no value; use {env: NAME} or {file: PATH},"
                    + " or remove it");
            return null;
        }
        if (!(node instanceof MappingNode)) {
            String what = key.equals("password") ? "a password" : "a secret";
            problems.error(node, path + ": " + what + " is never written inline;"
                    + " use {env: NAME} or {file: PATH}");
            return null;
        }
        Section secret = parent.section(key, SECRET_KEYS);
        boolean env = secret.has("env");
        boolean file = secret.has("file");
        if (env == file) {
            problems.error(parent.keyNode(key), path + ": give exactly one of {env: NAME} or {file: PATH}");
            return null;
        }
        if (env) {
            Node nameNode = secret.value("env");
            String name = nameNode instanceof ScalarNode s && !Nodes.isNull(nameNode) ? s.getValue() : "";
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.error(nameNode, secret.path("env") + ": expected an environment variable name"
                        + " (letters, digits and _, not starting with a digit)");
                return null;
            }
            return new Secret(name, null);
        }
        Path p = fields.existingFile(secret.path("file"), secret.value("file"));
        return p == null ? null : new Secret(null, p);
    }
}
