package io.sekisho.proxy.limits;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open client connections, in total and per client address, for {@code limits.maxConnections}
 * and {@code limits.maxConnectionsPerClient}. Exact: a slot is taken at accept and given back
 * once, when the connection closes. Called on every event loop's accept path, so nothing here
 * waits: the total is one atomic counter, and an address's count changes inside
 * {@link ConcurrentHashMap#compute}, which holds one bin's monitor for an increment. An entry
 * is removed when its count reaches zero, so addresses seen once do not accumulate.
 */
public final class ConnectionCounts {
    /** What {@link #tryAcquire} decided. */
    public enum Admission {
        ADMITTED,
        /** {@code limits.maxConnections} is reached. */
        TOTAL_FULL,
        /** {@code limits.maxConnectionsPerClient} is reached for this address. */
        CLIENT_FULL
    }

    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    /** Takes a slot for {@code client} unless a cap is reached; an admitted slot is given back by {@link #release}. */
    public Admission tryAcquire(InetAddress client, int maxTotal, int maxPerClient) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Admission.TOTAL_FULL;
        }
        boolean[] taken = {false};
        perClient.compute(client, (address, open) -> {
            int n = open == null ? 0 : open;
            if (n >= maxPerClient) {
                return open;
            }
            taken[0] = true;
            return n + 1;
        });
        if (!taken[0]) {
            total.decrementAndGet();
            return Admission.CLIENT_FULL;
        }
        return Admission.ADMITTED;
    }

    /** Gives back an admitted connection's slot. */
    public void release(InetAddress client) {
        perClient.computeIfPresent(client, (address, open) -> open <= 1 ? null : open - 1);
        total.decrementAndGet();
    }

    /** Connections open now. */
    public int total() {
        return total.get();
    }

    /** Connections open now from {@code client}. */
    public int of(InetAddress client) {
        return perClient.getOrDefault(client, 0);
    }

    /** Addresses with at least one open connection. */
    public int clients() {
        return perClient.size();
    }
}
