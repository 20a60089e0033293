package io.sekisho.proxy.audit;

import io.sekisho.policy.Reason;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits refusals that an attacker can cause by the thousand per second (connections over a
 * cap, heads over the budget) at most {@code perSecond} lines per second for each reason, so
 * that a flood neither floods the audit log nor fills its queue ahead of real decisions. What
 * is left out is counted, and the count goes to the operational log with the first refusal of
 * a later second. Lock-free: called on every event loop; seconds come from the injected clock.
 */
public final class AuditThrottle {
    private static final Logger log = LoggerFactory.getLogger(AuditThrottle.class);

    private final AuditLog audit;
    private final Clock clock;
    private final int perSecond;
    private final Map<Reason, Window> windows = new EnumMap<>(Reason.class);

    /** One reason's current second: lines written in it, and lines left out since the last report. */
    private static final class Window {
        final AtomicLong second = new AtomicLong(Long.MIN_VALUE);
        final AtomicInteger written = new AtomicInteger();
        final AtomicLong leftOut = new AtomicLong();
    }

    public AuditThrottle(AuditLog audit, Clock clock, int perSecond) {
        this.audit = audit;
        this.clock = clock;
        this.perSecond = perSecond;
        for (Reason r : Reason.values()) {
            windows.put(r, new Window());
        }
    }

    /** Writes {@code record} unless its reason already had {@code perSecond} lines this second. */
    public void write(AuditRecord record) {
        Reason reason = record.decision().reason();
        Window w = Objects.requireNonNull(windows.get(reason), "every reason has a window");
        long now = Math.floorDiv(clock.millis(), 1000);
        long current = w.second.get();
        // A race at the turn of a second lets a few more lines through; the count stays exact.
        if (now != current && w.second.compareAndSet(current, now)) {
            w.written.set(0);
            long leftOut = w.leftOut.getAndSet(0);
            if (leftOut > 0) {
                log.warn("audit: {} {} line(s) left out, over {} per second", leftOut, reason, perSecond);
            }
        }
        if (w.written.incrementAndGet() <= perSecond) {
            audit.write(record);
        } else {
            w.leftOut.incrementAndGet();
        }
    }
}
