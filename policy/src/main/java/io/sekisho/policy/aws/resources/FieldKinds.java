package io.sekisho.policy.aws.resources;

import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a field name (a JSON key, one dot-separated part of a query parameter name, an XML
 * element) means to the resource scan, from the field lists of {@link AwsWireFacts}, in one
 * lookup that cuts no substring.
 */
final class FieldKinds {
    /** The caller's data, or the removal side of a sharing call: not evidence. */
    static final int SKIP = 1;
    /** Its value is an account when it is twelve digits. */
    static final int ACCOUNT = 2;
    /** "all" here means a public share. */
    static final int PUBLIC = 4;
    /** Its value is an SQS queue URL. */
    static final int QUEUE = 8;

    private static final String[][] NAMES;
    private static final int[][] KINDS;

    static {
        Map<String, Integer> kinds = new HashMap<>();
        mark(kinds, AwsWireFacts.PAYLOAD_FIELDS, SKIP);
        mark(kinds, AwsWireFacts.REMOVAL_FIELDS, SKIP);
        mark(kinds, AwsWireFacts.ACCOUNT_FIELDS, ACCOUNT);
        mark(kinds, AwsWireFacts.PUBLIC_SHARE_FIELDS, PUBLIC);
        mark(kinds, AwsWireFacts.QUEUE_URL_FIELDS, QUEUE);
        int max = kinds.keySet().stream().mapToInt(String::length).max().orElse(0);
        NAMES = new String[max + 1][0];
        KINDS = new int[max + 1][0];
        for (Map.Entry<String, Integer> e : kinds.entrySet()) {
            int len = e.getKey().length();
            NAMES[len] = append(NAMES[len], e.getKey());
            KINDS[len] = append(KINDS[len], e.getValue());
        }
    }

    private FieldKinds() {
    }

    /** The kinds of the name {@code s[from, to)} (case matters, as in AWS), 0 when none. */
    static int of(CharSequence s, int from, int to) {
        int len = to - from;
        if (len >= NAMES.length) {
            return 0;
        }
        String[] names = NAMES[len];
        for (int i = 0; i < names.length; i++) {
            if (Text.equals(s, from, to, names[i])) {
                return KINDS[len][i];
            }
        }
        return 0;
    }

    static int of(String s) {
        return of(s, 0, s.length());
    }

    private static void mark(Map<String, Integer> kinds, Set<String> names, int kind) {
        for (String n : names) {
            kinds.merge(n, kind, (a, b) -> a | b);
        }
    }

    private static String[] append(String[] a, String v) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    private static int[] append(int[] a, int v) {
        int[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }
}
