package io.sekisho.proxy.explain;

import io.sekisho.policy.Nullable;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The time the policy sees: a HAR entry's {@code startedDateTime} while that entry is judged (so
 * a sign-in token's 15 minutes run as they ran in the browser), else the wall clock.
 */
final class ReplayClock extends Clock {
    private @Nullable Instant at;

    void moveTo(String startedAt) {
        at = null;
        if (!startedAt.isEmpty()) {
            try {
                at = OffsetDateTime.parse(startedAt).toInstant();
            } catch (DateTimeParseException e) {
                at = null;
            }
        }
    }

    @Override
    public Instant instant() {
        return at == null ? Instant.now() : at;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
