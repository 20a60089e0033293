package io.sekisho.proxy.audit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a new request may be acted on, given the audit: only while the log accepts lines
 * ({@link AuditLog#accepting}), so that no decision is acted on without its line. When it does
 * not, the request is refused with {@code AUDIT_UNAVAILABLE} (fail closed), or, with
 * {@code audit.onFailure: serve}, served anyway: each such request is counted and the
 * operational log says so at ERROR (the first at once, then once a minute). Refusals are counted
 * too; their own lines are not written (the audit is what failed). Lock-free, event-loop safe.
 */
public final class AuditAdmission {
    private static final Logger log = LoggerFactory.getLogger(AuditAdmission.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AuditLog audit;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong servedUnaudited = new AtomicLong();
    private volatile long lastLog = System.nanoTime() - LOG_INTERVAL_NANOS;

    public AuditAdmission(AuditLog audit) {
        this.audit = audit;
    }

    /** True to go on with the request; false to refuse it with AUDIT_UNAVAILABLE. */
    public boolean admit(boolean serveOnFailure) {
        if (audit.accepting()) {
            return true;
        }
        long n = (serveOnFailure ? servedUnaudited : refused).incrementAndGet();
        long now = System.nanoTime();
        if (n == 1 || now - lastLog >= LOG_INTERVAL_NANOS) {
            lastLog = now;
            if (serveOnFailure) {
                log.error("AUDIT UNAVAILABLE, SERVING ANYWAY (audit.onFailure: serve): {} request(s) served"
                        + " while the audit log could not take their lines", n);
            } else {
                log.error("AUDIT UNAVAILABLE: refusing new requests (AUDIT_UNAVAILABLE), {} so far", n);
            }
        }
        return serveOnFailure;
    }

    /** Requests refused with AUDIT_UNAVAILABLE since start. */
    public long refused() {
        return refused.get();
    }

    /** Requests served while the audit could not take lines ({@code onFailure: serve}) since start. */
    public long servedUnaudited() {
        return servedUnaudited.get();
    }
}
