package io.sekisho.config;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.domain.DomainPattern;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed readers for leaf values. Each reports what is wrong at the value's location and then
 * returns the default, so the walk goes on and finds every other problem too; because an
 * error was recorded, nothing built from that default is ever used.
 */
final class Fields {
    private final Problems problems;
    private final Path baseDir;

    Fields(Problems problems, Path baseDir) {
        this.problems = problems;
        this.baseDir = baseDir;
    }

    /** A value found at a place in the file, kept for later checks that point back to it. */
    record Located<T>(T value, Node node, String path) {
    }

    /** The text of a scalar, or null (and an error) for anything else, including no value. */
    @Nullable String text(String path, @Nullable Node node) {
        if (node instanceof ScalarNode scalar && !Nodes.isNull(node)) {
            return scalar.getValue();
        }
        problems.error(node, path + ": expected a string, found " + Nodes.describe(node));
        return null;
    }

    String string(Section s, String key, String dflt) {
        Node node = s.value(key);
        if (node == null) {
            return dflt;
        }
        String text = text(s.path(key), node);
        return text == null ? dflt : text;
    }

    /** {@code true} or {@code false}, spelled so: YAML 1.1's yes/no/on/off are refused as easy to misread. */
    boolean flag(Section s, String key, boolean dflt) {
        Node node = s.value(key);
        if (node == null) {
            return dflt;
        }
        if (node instanceof ScalarNode scalar && node.getTag().equals(Tag.BOOL)
                && (scalar.getValue().equals("true") || scalar.getValue().equals("false"))) {
            return scalar.getValue().equals("true");
        }
        problems.error(node, s.path(key) + ": expected true or false, found " + Nodes.describe(node));
        return dflt;
    }

    /** One of a fixed set of lower-case words. */
    String choice(Section s, String key, String dflt, List<String> options) {
        Node node = s.value(key);
        if (node == null) {
            return dflt;
        }
        String text = text(s.path(key), node);
        if (text == null) {
            return dflt;
        }
        if (!options.contains(text)) {
            String hint = Nodes.closest(text, options);
            problems.error(node, s.path(key) + ": `" + text + "` is not one of: " + String.join(", ", options)
                    + (hint != null ? " (did you mean `" + hint + "`?)" : ""));
            return dflt;
        }
        return text;
    }

    int integer(Section s, String key, int dflt, int min, int max) {
        Node node = s.value(key);
        return node == null ? dflt : integer(s.path(key), node, dflt, min, max);
    }

    int integer(String path, Node node, int dflt, int min, int max) {
        if (!(node instanceof ScalarNode scalar) || !node.getTag().equals(Tag.INT)) {
            String hint = node instanceof ScalarNode && node.getTag().equals(Tag.STR)
                    && ((ScalarNode) node).getValue().matches("\\d+") ? " (remove the quotes)" : "";
            problems.error(node, path + ": expected a whole number, found " + Nodes.describe(node) + hint);
            return dflt;
        }
        String text = scalar.getValue();
        // YAML 1.1 also reads 0x1F, 017 (octal) and 1_000 as integers; a config wants plain decimal.
        if (!text.matches("0|[1-9]\\d{0,9}") || Long.parseLong(text) > Integer.MAX_VALUE) {
            problems.error(node, path + ": `" + text + "` is not a plain decimal number");
            return dflt;
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            problems.error(node, path + ": " + value + " is out of range " + min + "-" + max);
            return dflt;
        }
        return value;
    }

    Duration duration(Section s, String key, Duration dflt, Duration min, Duration max) {
        Node node = s.value(key);
        if (node == null) {
            return dflt;
        }
        String path = s.path(key);
        if (!(node instanceof ScalarNode) || Nodes.isNull(node)) {
            problems.error(node, path + ": expected a duration such as 10s, found " + Nodes.describe(node));
            return dflt;
        }
        Duration d;
        try {
            d = Durations.parse(((ScalarNode) node).getValue());
        } catch (IllegalArgumentException e) {
            problems.error(node, path + ": " + e.getMessage());
            return dflt;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problems.error(node, path + ": " + Durations.format(d) + " is out of range "
                    + Durations.format(min) + " to " + Durations.format(max));
            return dflt;
        }
        return d;
    }

    /** The items of a list; null when the key is absent, empty (with an error) when not a list. */
    @Nullable List<Node> list(Section s, String key) {
        Node node = s.value(key);
        if (node == null) {
            return null;
        }
        if (node instanceof SequenceNode seq) {
            return seq.getValue();
        }
        problems.error(Nodes.isNull(node) ? s.keyNode(key) : node, s.path(key) + ": expected a list, found "
                + Nodes.describe(node) + (Nodes.isNull(node) ? " (write [] for an empty list)" : ""));
        return List.of();
    }

    /**
     * The entries of a mapping whose keys are data (host patterns, access key IDs); null when
     * absent. Duplicate keys are reported here because the composer keeps them all.
     */
    @Nullable List<NodeTuple> map(Section s, String key) {
        Node node = s.value(key);
        if (node == null) {
            return null;
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.error(Nodes.isNull(node) ? s.keyNode(key) : node, s.path(key) + ": expected a mapping, found "
                    + Nodes.describe(node) + (Nodes.isNull(node) ? " (write {} for an empty mapping)" : ""));
            return List.of();
        }
        List<NodeTuple> entries = new ArrayList<>();
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node k = tuple.getKeyNode();
            if (!(k instanceof ScalarNode scalar) || Nodes.isNull(k) || k.getTag().equals(Tag.MERGE)) {
                problems.error(k, s.path(key) + ": a key must be a plain string, found " + Nodes.describe(k));
                continue;
            }
            Node first = seen.putIfAbsent(scalar.getValue(), k);
            if (first != null) {
                problems.error(k, "duplicate key `" + scalar.getValue() + "` in " + s.path(key)
                        + " (first at line " + (first.getStartMark().getLine() + 1) + ")");
                continue;
            }
            entries.add(tuple);
        }
        return entries;
    }

    /** A list of domain-grammar entries; DomainPattern's own message names what is wrong. */
    List<Located<DomainPattern>> domains(Section s, String key) {
        List<Node> items = list(s, key);
        List<Located<DomainPattern>> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            String path = s.path(key) + "[" + i + "]";
            DomainPattern p = domain(path, items.get(i));
            if (p != null) {
                out.add(new Located<>(p, items.get(i), path));
            }
        }
        return out;
    }

    @Nullable DomainPattern domain(String path, Node node) {
        String text = text(path, node);
        if (text == null) {
            return null;
        }
        try {
            return DomainPattern.parse(text);
        } catch (IllegalArgumentException e) {
            problems.error(node, path + ": " + e.getMessage());
            return null;
        }
    }

    /** A path as written, resolved against the config file's directory when relative. */
    @Nullable Path resolve(String path, @Nullable Node node, String text) {
        try {
            return baseDir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            problems.error(node, path + ": `" + text + "` is not a valid path");
            return null;
        }
    }

    /** A file the proxy will read at start-up: it must exist and be readable now. */
    @Nullable Path existingFile(String path, @Nullable Node node) {
        String text = text(path, node);
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            problems.error(node, path + ": the file name is empty");
            return null;
        }
        Path file = resolve(path, node, text);
        if (file == null) {
            return null;
        }
        if (!Files.exists(file)) {
            problems.error(node, path + ": no such file: " + file);
        } else if (!Files.isRegularFile(file)) {
            problems.error(node, path + ": not a regular file: " + file);
        } else if (!Files.isReadable(file)) {
            problems.error(node, path + ": cannot read " + file + " (check its permissions)");
        }
        return file;
    }
}
