package io.sekisho.policy.aws;

import io.sekisho.policy.Nullable;
import java.util.List;

/**
 * Bucket name patterns of {@code aws.s3.anonymousRead} and {@code aws.s3.buckets.allow}:
 * {@code *} matches any run of characters (dots included), {@code ?} one character; everything
 * else is literal and compared as written (bucket names are lower case).
 */
final class BucketGlobs {
    private final List<String> globs;

    BucketGlobs(List<String> globs) {
        this.globs = List.copyOf(globs);
    }

    boolean isEmpty() {
        return globs.isEmpty();
    }

    /** The first pattern matching {@code bucket}, or null. */
    @Nullable String match(String bucket) {
        for (int i = 0; i < globs.size(); i++) {
            if (matches(globs.get(i), 0, bucket, 0)) {
                return globs.get(i);
            }
        }
        return null;
    }

    private static boolean matches(String g, int gi, String s, int si) {
        while (gi < g.length()) {
            char c = g.charAt(gi);
            if (c == '*') {
                while (gi < g.length() && g.charAt(gi) == '*') {
                    gi++;
                }
                if (gi == g.length()) {
                    return true;
                }
                for (int k = si; k <= s.length(); k++) {
                    if (matches(g, gi, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si == s.length() || (c != '?' && c != s.charAt(si))) {
                return false;
            }
            gi++;
            si++;
        }
        return si == s.length();
    }
}
