package io.sekisho.tls;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing TLS of each intercepted host, minted once and reused.
 *
 * <ul>
 *   <li><b>Single flight:</b> concurrent requests for a host that is not cached share one
 *       future; the host is minted once.</li>
 *   <li><b>Off the event loop:</b> minting runs on the injected executor, never on the
 *       caller's thread. The returned future completes on that executor: an event-loop caller
 *       continues with {@code whenCompleteAsync(…, channel.eventLoop())}.</li>
 *   <li><b>Expiry well before notAfter:</b> an entry is re-minted from
 *       {@code notAfter − max(1 h, validity / 4)}, so no client is served a leaf about to expire
 *       — but kept for at least half of the time it had left when minted, so that a short
 *       lifetime (or a CA near its end) does not turn into a mint per connection.</li>
 *   <li><b>Bounded:</b> beyond {@code maxEntries}, stale then least recently used entries are
 *       dropped (in batches, on the minting executor).</li>
 *   <li><b>Failures are not cached:</b> the waiters of a failed mint see the failure; the next
 *       request tries again.</li>
 * </ul>
 */
public final class LeafCache {

    private static final Logger log = LoggerFactory.getLogger(LeafCache.class);

    static final Duration MIN_REFRESH_MARGIN = Duration.ofHours(1);
    /** Evict 1/8 of the capacity at a time so that the scan runs once per many mints. */
    private static final int EVICTION_BATCH_DIVISOR = 8;
    /** Hosts waiting for a minting thread; beyond it a mint fails rather than queue without bound. */
    private static final int MINT_QUEUE_CAPACITY = 4096;

    /** Produces the TLS for one host: {@link #minting} in production, a counting wrapper in tests. */
    @FunctionalInterface
    public interface Issuer {
        ServerTls issue(String host) throws Exception;
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Issuer issuer;
    private final Executor executor;
    private final int maxEntries;
    private final Clock clock;
    private final LongAdder mints = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * @param executor where minting runs: {@link #newMintExecutor(int)} in production
     * @param maxEntries how many hosts are kept ({@code tls.leafCacheSize})
     */
    public LeafCache(Issuer issuer, Executor executor, int maxEntries, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer);
        this.executor = Objects.requireNonNull(executor);
        this.clock = Objects.requireNonNull(clock);
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, not " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** The production issuer: mint a leaf and build its server context. */
    public static Issuer minting(LeafMinter minter, TlsProvider provider) {
        Objects.requireNonNull(minter);
        Objects.requireNonNull(provider);
        return host -> ServerTls.create(minter.mint(host), provider);
    }

    /**
     * A small pool of daemon threads named {@code sekisho-mint-N} with a bounded queue; a full
     * queue fails the mint (the caller denies that connection) instead of growing memory.
     */
    public static ExecutorService newMintExecutor(int threads) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "sekisho-mint-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MINT_QUEUE_CAPACITY), factory, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * The TLS for {@code host} (a normalised host name or IP literal; case is folded here).
     * Never blocks and never mints on the calling thread.
     */
    public CompletableFuture<ServerTls> serverTlsFor(String host) {
        String key = host.toLowerCase(Locale.ROOT);
        while (true) {
            Entry entry = entries.get(key);
            if (entry == null) {
                Entry fresh = new Entry();
                entry = entries.putIfAbsent(key, fresh);
                if (entry == null) {
                    misses.increment();
                    startMint(key, fresh);
                    return fresh.future;
                }
            }
            long now = clock.millis();
            if (entry.usableAt(now)) {
                hits.increment();
                entry.lastUsedMillis = now;
                return entry.future;
            }
            // Stale: drop it and go round; the first caller to insert a new entry mints.
            entries.remove(key, entry);
        }
    }

    /** Lookups answered by a cached (or already minting) leaf. */
    public long hits() {
        return hits.sum();
    }

    /** Lookups that had to start a mint: a new host, or a leaf due for refresh. */
    public long misses() {
        return misses.sum();
    }

    /** Hosts currently cached or being minted. */
    public int size() {
        return entries.size();
    }

    /** How many mints have been started since creation: one per host and expiry, plus retries. */
    public long mintCount() {
        return mints.sum();
    }

    /**
     * When a leaf minted at {@code mintedAt} stops being served:
     * {@code notAfter − min(max(1 h, validity / 4), (notAfter − mintedAt) / 2)}.
     */
    static Instant refreshAt(X509Certificate leaf, Instant mintedAt) {
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Duration margin = max(MIN_REFRESH_MARGIN, Duration.between(notBefore, notAfter).dividedBy(4));
        Duration halfLeft = Duration.between(mintedAt, notAfter).dividedBy(2);
        return notAfter.minus(margin.compareTo(halfLeft) < 0 ? margin : halfLeft);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private void startMint(String host, Entry entry) {
        try {
            executor.execute(() -> mint(host, entry));
        } catch (RejectedExecutionException e) {
            fail(host, entry, e);
        }
    }

    private void mint(String host, Entry entry) {
        evictIfFull();
        mints.increment();
        long started = System.nanoTime();
        try {
            ServerTls tls = issuer.issue(host);
            Instant now = clock.instant();
            entry.refreshAtMillis = refreshAt(tls.certificate(), now).toEpochMilli();
            entry.lastUsedMillis = now.toEpochMilli();
            entry.future.complete(tls);
            log.debug("leaf for {} ready in {} µs", host, (System.nanoTime() - started) / 1000);
        } catch (Throwable t) {
            // Whatever went wrong, the waiters must hear of it: an uncompleted future would hang
            // every later connection to this host.
            fail(host, entry, t);
            if (t instanceof Error error) {
                throw error;
            }
        }
    }

    /** Removed before the waiters hear of it, so that a retry mints afresh. */
    private void fail(String host, Entry entry, Throwable cause) {
        entries.remove(host, entry);
        log.debug("minting a leaf for {} failed: {}", host, cause.toString());
        entry.future.completeExceptionally(cause);
    }

    /** Runs on the minting executor: an O(n) scan must not run on an event loop. */
    private void evictIfFull() {
        if (entries.size() <= maxEntries) {
            return;
        }
        long now = clock.millis();
        entries.entrySet().removeIf(e -> e.getValue().future.isDone() && !e.getValue().usableAt(now));
        int target = maxEntries - maxEntries / EVICTION_BATCH_DIVISOR;
        int excess = entries.size() - target;
        if (excess <= 0) {
            return;
        }
        List<Map.Entry<String, Entry>> done = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue().future.isDone()) {
                done.add(e);
            }
        }
        done.sort(Comparator.comparingLong(e -> e.getValue().lastUsedMillis));
        for (int i = 0; i < excess && i < done.size(); i++) {
            entries.remove(done.get(i).getKey(), done.get(i).getValue());
        }
    }

    /** One host's future; the two times are written by the minting thread before completion. */
    private static final class Entry {
        final CompletableFuture<ServerTls> future = new CompletableFuture<>();
        volatile long refreshAtMillis = Long.MAX_VALUE;
        volatile long lastUsedMillis;

        /** In flight (share it) or done and not yet due for refresh. */
        boolean usableAt(long nowMillis) {
            if (!future.isDone()) {
                return true;
            }
            return !future.isCompletedExceptionally() && nowMillis < refreshAtMillis;
        }
    }
}
