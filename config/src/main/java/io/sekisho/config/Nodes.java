package io.sekisho.config;

import io.sekisho.policy.Nullable;
import java.util.Collection;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Small questions about composed nodes, and the words used for them in messages. */
final class Nodes {
    private Nodes() {
    }

    /** {@code key:}, {@code key: ~} and {@code key: null} all compose to a null scalar. */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    /** What the user wrote, for "expected X, found Y". */
    static String describe(@Nullable Node node) {
        if (node == null) {
            return "no value"; // an absent key reads the same as an explicit null
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            return "no value";
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "the number " + ((ScalarNode) node).getValue();
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + ((ScalarNode) node).getValue();
        }
        return "the string \"" + ((ScalarNode) node).getValue() + "\"";
    }

    /**
     * The closest known name to {@code unknown}, or null when none is close: the same letters
     * ignoring case, '-' and '_' (idle_timeout for idleTimeout), or an edit distance of at most
     * two (one for short names).
     */
    static @Nullable String closest(String unknown, Collection<String> known) {
        String folded = fold(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            if (fold(candidate).equals(folded)) {
                return candidate;
            }
            int d = distance(unknown.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int limit = unknown.length() <= 4 ? 1 : 2;
        return bestDistance <= limit ? best : null;
    }

    private static String fold(String s) {
        return s.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance; the strings are config key names, so quadratic is fine. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
