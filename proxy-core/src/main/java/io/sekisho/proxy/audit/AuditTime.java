package io.sekisho.proxy.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The audit line's time: ISO-8601, UTC, always with milliseconds ("2026-01-02T03:04:05.006Z"),
 * so that lines sort as text. Lines come many per second, so the text up to the second is
 * formatted once per second and only the milliseconds are appended per line (a
 * {@link DateTimeFormatter} call per line cost about a microsecond on the audit thread).
 */
final class AuditTime {
    private static final DateTimeFormatter TO_THE_SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Immutable, so a reader on any thread sees a consistent pair. */
    private record Second(long epochSecond, String text) {
    }

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private AuditTime() {
    }

    /** Room enough for any {@link Instant}'s text (a year of up to ten digits and its sign). */
    static final int MAX_LENGTH = 32;

    static String format(Instant t) {
        char[] text = new char[MAX_LENGTH];
        return new String(text, 0, format(t, text));
    }

    /**
     * The same text, written into {@code into} (at least {@link #MAX_LENGTH} long) with nothing
     * allocated but once a second.
     *
     * @return its length
     */
    static int format(Instant t, char[] into) {
        Second s = last;
        if (s.epochSecond() != t.getEpochSecond()) {
            s = new Second(t.getEpochSecond(), TO_THE_SECOND.format(t));
            last = s;
        }
        String second = s.text();
        int n = second.length();
        second.getChars(0, n, into, 0);
        int millis = t.getNano() / 1_000_000;
        into[n] = '.';
        into[n + 1] = (char) ('0' + millis / 100);
        into[n + 2] = (char) ('0' + millis / 10 % 10);
        into[n + 3] = (char) ('0' + millis % 10);
        into[n + 4] = 'Z';
        return n + 5;
    }
}
