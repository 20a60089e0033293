package io.sekisho.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Decision;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the factory leaves at "not known", and the duration it measures. */
class AuditRecordsTest {
    private static final Instant ARRIVED = Instant.parse("2026-01-02T03:04:05Z");
    private static final Decision DENY = Decision.deny(Reason.CONNECTION_LIMIT, "limits.maxConnections");

    @Test
    void aRefusalBeforeAnyHeadNamesNoMethodHostPathOrBytes() {
        assertThat(AuditRecords.of("id-1", ARRIVED, "10.0.0.1:5000").decided(DENY, Mode.ENFORCE))
                .isEqualTo(new AuditRecord(ARRIVED, "id-1", "10.0.0.1:5000", "", "", 0, "", DENY, Mode.ENFORCE,
                        0, 0, 0, AuditRecord.Http.NONE, Identity.ANONYMOUS));
    }

    @Test
    void aConnectHasNoPathAndLastsUntilItEnds() {
        Clock later = Clock.fixed(ARRIVED.plusMillis(250), ZoneOffset.UTC);
        assertThat(AuditRecords.of("id-2", ARRIVED, "c").connect("example.com", 443).bytes(3, 4).endedAt(later)
                .decided(DENY, Mode.REPORT))
                .isEqualTo(new AuditRecord(ARRIVED, "id-2", "c", "CONNECT", "example.com", 443, "", DENY, Mode.REPORT,
                        3, 4, 250, AuditRecord.Http.NONE, Identity.ANONYMOUS));
    }

    @Test
    void aClockThatSteppedBackGivesZeroNotANegativeDuration() {
        Clock earlier = Clock.fixed(ARRIVED.minusSeconds(1), ZoneOffset.UTC);
        assertThat(AuditRecords.of("id-3", ARRIVED, "c").endedAt(earlier).decided(DENY, Mode.ENFORCE).durationMs())
                .isZero();
    }
}
