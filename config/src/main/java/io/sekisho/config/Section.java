package io.sekisho.config;

import io.sekisho.policy.Nullable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One mapping of the schema with a fixed set of keys. Reading it reports unknown keys (with a
 * "did you mean" hint), duplicate keys (with the first one's line), merge keys and non-name
 * keys. An absent, empty or mistyped section reads as empty, so its defaults apply while the
 * error is recorded; the load fails anyway because an error exists.
 */
final class Section {
    private final Problems problems;
    private final String path;
    private final Node anchor;
    private final boolean present;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private Section(Problems problems, String path, Node anchor, boolean present) {
        this.problems = problems;
        this.path = path;
        this.anchor = anchor;
        this.present = present;
    }

    /** The top-level mapping; {@code root} is already known to be a mapping. */
    static Section root(Problems problems, MappingNode root, List<String> keys) {
        Section s = new Section(problems, "", root, true);
        s.read(root, keys);
        return s;
    }

    /** A mapping found inside a list, such as one account entry. */
    static Section of(Problems problems, String path, MappingNode mapping, List<String> keys) {
        Section s = new Section(problems, path, mapping, true);
        s.read(mapping, keys);
        return s;
    }

    /** The sub-mapping under {@code key}; absent (not an error) when the key is missing. */
    Section section(String key, List<String> keys) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return new Section(problems, path(key), anchor, false);
        }
        Node value = tuple.getValueNode();
        if (Nodes.isNull(value)) {
            problems.error(tuple.getKeyNode(), path(key) + ": has no value; give it keys ("
                    + String.join(", ", keys) + ") or remove it");
        } else if (!(value instanceof MappingNode)) {
            problems.error(value, path(key) + ": expected a mapping, found " + Nodes.describe(value));
        } else {
            Section s = new Section(problems, path(key), tuple.getKeyNode(), true);
            s.read((MappingNode) value, keys);
            return s;
        }
        // Read as absent: its defaults apply to the rest of the walk, and the load fails anyway.
        return new Section(problems, path(key), tuple.getKeyNode(), false);
    }

    private void read(MappingNode mapping, List<String> keys) {
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode.getTag().equals(Tag.MERGE)) {
                problems.error(keyNode, "YAML merge keys (<<) are not supported; write the keys out");
                continue;
            }
            if (!(keyNode instanceof ScalarNode) || Nodes.isNull(keyNode)) {
                problems.error(keyNode, "a key must be a plain name, found " + Nodes.describe(keyNode));
                continue;
            }
            String name = ((ScalarNode) keyNode).getValue();
            NodeTuple first = entries.get(name);
            if (first != null) {
                problems.error(keyNode, "duplicate key `" + name + "`" + where() + " (first at line "
                        + (first.getKeyNode().getStartMark().getLine() + 1) + ")");
            } else if (!keys.contains(name)) {
                problems.error(keyNode, unknownKey(name, keys));
            } else {
                entries.put(name, tuple);
            }
        }
    }

    private String unknownKey(String name, List<String> keys) {
        String suggestion = Nodes.closest(name, keys);
        String base = "unknown key `" + name + "`" + where();
        return suggestion != null
                ? base + " (did you mean `" + suggestion + "`?)"
                : base + "; expected one of: " + String.join(", ", keys);
    }

    private String where() {
        return path.isEmpty() ? "" : " in " + path;
    }

    /** True when the key was written with a mapping as its value. */
    boolean present() {
        return present;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value node of {@code key}, or null when the key is absent. */
    @Nullable Node value(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    /** The key node of {@code key}, or where this section starts when the key is absent. */
    Node keyNode(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? anchor : tuple.getKeyNode();
    }

    /** Where problems about the section as a whole point: its key, or the document start. */
    Node anchor() {
        return anchor;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
