package io.sekisho.proxy.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code limits.maxPendingHeadBytes}: the bytes that all connections still sending a request
 * head hold together. Lock-free; charged and refunded on every event loop.
 */
public final class HeadBudget {
    private final AtomicLong charged = new AtomicLong();

    /** Charges {@code n} bytes unless the total would go over {@code max}; true when charged. */
    public boolean tryCharge(long n, long max) {
        while (true) {
            long now = charged.get();
            if (now + n > max) {
                return false;
            }
            if (charged.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    /** Gives back bytes charged before. */
    public void refund(long n) {
        charged.addAndGet(-n);
    }

    /** Bytes charged now. */
    public long charged() {
        return charged.get();
    }
}
