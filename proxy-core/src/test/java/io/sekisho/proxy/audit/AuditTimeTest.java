package io.sekisho.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cached per-second text gives exactly what a full ISO-8601 formatter gives, second changes included. */
class AuditTimeTest {
    private static final DateTimeFormatter FULL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "the epoch,                        1970-01-01T00:00:00Z",
        "milliseconds with leading zeros,  2026-01-02T03:04:05.006Z",
        "the same second again,            2026-01-02T03:04:05.990Z",
        "the next second,                  2026-01-02T03:04:06.999Z",
        "back to an earlier second,        2026-01-02T03:04:05.100Z",
        "sub-millisecond part dropped,     2026-11-22T17:30:59.123456789Z",
        "before the epoch,                 1969-12-31T23:59:59.500Z",
        "a five-digit year,               +12026-01-02T03:04:05.999Z",
    })
    void formatsLikeTheFullFormatter(String name, String instant) {
        Instant t = Instant.parse(instant);
        assertThat(AuditTime.format(t)).isEqualTo(FULL.format(t));
        char[] into = new char[AuditTime.MAX_LENGTH];
        assertThat(new String(into, 0, AuditTime.format(t, into))).isEqualTo(FULL.format(t));
    }
}
