package io.sekisho.policy.aws.resources;

import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A fixed set of names tested against a slice of text without cutting a substring: the field
 * lists of {@link AwsWireFacts} are checked against every JSON key and parameter name.
 */
final class NameSet {
    private final String[][] byLength;

    NameSet(Set<String> names) {
        int max = 0;
        for (String n : names) {
            max = Math.max(max, n.length());
        }
        List<List<String>> buckets = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            buckets.add(new ArrayList<>());
        }
        for (String n : names) {
            buckets.get(n.length()).add(n);
        }
        byLength = new String[max + 1][];
        for (int i = 0; i <= max; i++) {
            byLength[i] = buckets.get(i).toArray(new String[0]);
        }
    }

    boolean contains(CharSequence s, int from, int to) {
        int len = to - from;
        if (len >= byLength.length) {
            return false;
        }
        for (String n : byLength[len]) {
            if (Text.equals(s, from, to, n)) {
                return true;
            }
        }
        return false;
    }

    boolean contains(String s) {
        return contains(s, 0, s.length());
    }
}
