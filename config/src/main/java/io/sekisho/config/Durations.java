package io.sekisho.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the config: a whole number and one unit, {@code 500ms}, {@code 10s},
 * {@code 5m}, {@code 1h}, {@code 7d}. A bare number is refused because "30" could mean seconds
 * or milliseconds and guessing wrong turns a timeout into a hang.
 */
final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Pattern BARE = Pattern.compile("\\d+");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException with a message for the user
     */
    static Duration parse(String text) {
        Matcher m = FORM.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                    return Duration.ofSeconds(n);
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                default:
                    return Duration.ofDays(n);
            }
        }
        if (BARE.matcher(text).matches()) {
            throw new IllegalArgumentException("`" + text + "` has no unit; write e.g. `" + text
                    + "s` (units: ms, s, m, h, d)");
        }
        throw new IllegalArgumentException("`" + text
                + "` is not a duration; write a whole number and a unit: 500ms, 10s, 5m, 1h, 7d");
    }

    /** The shortest exact form in the config's own units, for messages and docs. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms != 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms != 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
