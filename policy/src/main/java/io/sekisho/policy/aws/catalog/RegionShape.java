package io.sekisho.policy.aws.catalog;

import java.util.Set;

/**
 * Recognises region names such as {@code us-east-1}, {@code us-gov-west-1},
 * {@code cn-northwest-1}, {@code eusc-de-east-1}: a known first part, one or more lower-case
 * words, then a number, joined by '-'. The first parts come from the catalog's "regions" line
 * (botocore partitions.json region regexes, R2), so that {@code s3-website-us-east-1} is not read
 * as "s3-" + a region called "website-us-east-1".
 */
public final class RegionShape {
    private final Set<String> firstParts;

    RegionShape(Set<String> firstParts) {
        this.firstParts = Set.copyOf(firstParts);
    }

    public boolean matches(CharSequence s, int from, int to) {
        int dash = indexOf(s, '-', from, to);
        if (dash < 0 || !firstPart(s, from, dash)) {
            return false;
        }
        int words = 0;
        int i = dash + 1;
        while (i < to) {
            int next = indexOf(s, '-', i, to);
            int end = next < 0 ? to : next;
            if (end == i) {
                return false;
            }
            if (next < 0) {
                return words > 0 && digits(s, i, end);
            }
            if (!letters(s, i, end)) {
                return false;
            }
            words++;
            i = end + 1;
        }
        return false;
    }

    /** The first region-shaped label of a host name, or "" when none. */
    String firstRegionLabel(String host) {
        int start = 0;
        while (start < host.length()) {
            int dot = host.indexOf('.', start);
            int end = dot < 0 ? host.length() : dot;
            if (matches(host, start, end)) {
                return host.substring(start, end);
            }
            start = end + 1;
        }
        return "";
    }

    private boolean firstPart(CharSequence s, int from, int to) {
        for (String p : firstParts) {
            if (p.length() == to - from && regionEquals(s, from, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEquals(CharSequence s, int from, String p) {
        for (int i = 0; i < p.length(); i++) {
            if (s.charAt(from + i) != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(CharSequence s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean letters(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(CharSequence s, int from, int to) {
        if (from == to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
