package io.sekisho.proxy.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count that several threads add to, each thread in a slot of its own on a cache line of its
 * own, summed when read (a scrape). Micrometer's counters add to one shared cell until two
 * threads collide in the same instant: two event loops that take turns, never at once, pass
 * that cell's cache line between their cores on every add. Here a thread only writes its line.
 * Threads beyond {@value #SLOTS} share slots; the adds are atomic, so the sum stays exact.
 */
final class StripedCount {
    private static final int SLOTS = 16;
    /** 16 longs, 128 bytes, from one slot to the next: the CPU fetches cache lines in pairs. */
    private static final int SPACING = 16;
    private static final AtomicInteger NEXT_THREAD = new AtomicInteger();
    private static final ThreadLocal<Integer> SLOT =
            ThreadLocal.withInitial(() -> (NEXT_THREAD.getAndIncrement() & (SLOTS - 1)) * SPACING + SPACING);

    /** Slot i at index (i + 1) * SPACING: the first line is left empty, away from the array's header. */
    private final AtomicLongArray slots = new AtomicLongArray((SLOTS + 1) * SPACING);

    void add(long n) {
        slots.getAndAdd(SLOT.get(), n);
    }

    long sum() {
        long total = 0;
        for (int i = SPACING; i < slots.length(); i += SPACING) {
            total += slots.get(i);
        }
        return total;
    }
}
