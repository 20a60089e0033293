package io.sekisho.proxy;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids: a random per-process prefix and a counter ("k3f9x2-1a"), unique across restarts
 * in practice, cheap on the hot path, and ordered within a process. The randomness is injected.
 */
public final class RequestIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public RequestIds(Random random) {
        this.prefix = Long.toString((random.nextLong() >>> 28) & 0xFFFFFFFFFL, 36);
    }

    public String next() {
        return prefix + "-" + Long.toString(counter.incrementAndGet(), 36);
    }
}
