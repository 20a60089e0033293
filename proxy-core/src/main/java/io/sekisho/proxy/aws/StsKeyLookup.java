package io.sekisho.proxy.aws;

import io.sekisho.config.SekishoConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access key ID → account for keys that cannot be decoded offline (old-format keys, aws-wire-facts
 * §2.3), answered by {@code sts:GetAccessKeyInfo} (issue 4 point 3). The policy only ever reads
 * {@link #cached}, which never blocks; the proxy calls {@link #lookup} when the policy names a key
 * it could not resolve, and decides again once the future completes.
 *
 * <p>Calls run on this class's own small executor, never on a Netty event loop. Answers are kept
 * for {@code cacheTtl}; failures (timeout, throttling, an unknown key) for a shorter time, so a
 * client in a retry loop neither hammers STS nor stays denied long after STS recovers. Concurrent
 * lookups of one key share one call. The cache is bounded.
 *
 * <p>Its methods match the policy's {@code io.sekisho.policy.aws.credentials.KeyLookup} ({@code cached},
 * {@code enabled}); TODO(lead): make it {@code implements KeyLookup} once the aws branch is merged.
 */
public final class StsKeyLookup implements io.sekisho.policy.aws.credentials.KeyLookup, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StsKeyLookup.class);

    /** Old-format keys in use by one company number in the hundreds; this bounds memory if not. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    /** The longest a failed lookup is remembered. */
    static final Duration MAX_NEGATIVE_TTL = Duration.ofMinutes(1);
    private static final int THREADS = 2;
    private static final int QUEUE = 256;

    private record Entry(Optional<String> account, long expiresAtMillis) {
    }

    private final AccessKeyInfo sts;
    private final Clock clock;
    private final long ttlMillis;
    private final long negativeTtlMillis;
    private final int maxEntries;
    private final ExecutorService executor;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Optional<String>>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param executor runs the blocking calls; closed with this object
     */
    public StsKeyLookup(AccessKeyInfo sts, Clock clock, Duration cacheTtl, int maxEntries, ExecutorService executor) {
        this.sts = Objects.requireNonNull(sts);
        this.clock = Objects.requireNonNull(clock);
        this.ttlMillis = cacheTtl.toMillis();
        this.negativeTtlMillis = Math.min(ttlMillis, MAX_NEGATIVE_TTL.toMillis());
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
        this.executor = Objects.requireNonNull(executor);
    }

    /** The production lookup for {@code aws.keyInfoResolver}; starts warming up its client at once. */
    public static StsKeyLookup fromConfig(SekishoConfig.KeyInfoResolver cfg) {
        StsKeyLookup l = new StsKeyLookup(StsAccessKeyInfo.create(cfg.region(), cfg.timeout()), Clock.systemUTC(),
                cfg.cacheTtl(), DEFAULT_MAX_ENTRIES, newExecutor());
        l.warmUp();
        return l;
    }

    /** Runs {@link AccessKeyInfo#warmUp} on the lookup executor; a failure is logged, not fatal. */
    public void warmUp() {
        executor.execute(() -> {
            try {
                sts.warmUp();
            } catch (RuntimeException e) {
                log.warn("aws.keyInfoResolver: no AWS credentials for sts:GetAccessKeyInfo yet: {}",
                        e.getClass().getName());
            }
        });
    }

    /** Two daemon threads and a bounded queue: a flood of unknown keys is refused, not queued forever. */
    public static ExecutorService newExecutor() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "sekisho-sts-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                daemons);
    }

    /** The account a previous lookup returned for this key ID, if still fresh; never blocks. */
    @Override
    public Optional<String> cached(String accessKeyId) {
        Entry e = cache.get(accessKeyId);
        if (e == null || e.expiresAtMillis() <= clock.millis()) {
            return Optional.empty();
        }
        return e.account();
    }

    /** A configured lookup is always enabled (the policy's KeyLookup contract). */
    @Override
    public boolean enabled() {
        return true;
    }

    /**
     * Resolves a key ID: from the cache when fresh (answer or remembered failure), else by one
     * STS call shared with every concurrent lookup of the same key. Completes with empty on any
     * failure; never completes exceptionally.
     */
    public CompletableFuture<Optional<String>> lookup(String accessKeyId) {
        if (!AccessKeyIds.wellFormed(accessKeyId)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Optional<Optional<String>> fresh = fresh(accessKeyId);
        if (fresh.isPresent()) {
            return CompletableFuture.completedFuture(fresh.get());
        }
        CompletableFuture<Optional<String>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<String>> running = inFlight.putIfAbsent(accessKeyId, mine);
        if (running != null) {
            return running;
        }
        // A call that finished between the cache check and putIfAbsent has stored its answer.
        fresh = fresh(accessKeyId);
        if (fresh.isPresent()) {
            inFlight.remove(accessKeyId, mine);
            mine.complete(fresh.get());
            return mine;
        }
        try {
            executor.execute(() -> call(accessKeyId, mine));
        } catch (RejectedExecutionException e) {
            log.warn("sts:GetAccessKeyInfo for {} not attempted: the lookup queue is full",
                    AccessKeyIds.mask(accessKeyId));
            inFlight.remove(accessKeyId, mine);
            mine.complete(Optional.empty());
        }
        return mine;
    }

    /** The cached entry, answer or failure, if not expired. */
    private Optional<Optional<String>> fresh(String accessKeyId) {
        Entry e = cache.get(accessKeyId);
        return e != null && e.expiresAtMillis() > clock.millis() ? Optional.of(e.account()) : Optional.empty();
    }

    private void call(String accessKeyId, CompletableFuture<Optional<String>> result) {
        Optional<String> account = Optional.empty();
        try {
            account = query(accessKeyId);
        } finally {
            // Stored before the in-flight entry goes, so a new lookup finds one or the other.
            store(accessKeyId, account);
            inFlight.remove(accessKeyId, result);
            result.complete(account);
        }
    }

    private Optional<String> query(String accessKeyId) {
        try {
            Optional<String> account = sts.accountOf(accessKeyId);
            if (account.isPresent() && !AccessKeyIds.isAccountId(account.get())) {
                log.warn("sts:GetAccessKeyInfo for {} answered an account that is not twelve digits",
                        AccessKeyIds.mask(accessKeyId));
                return Optional.empty();
            }
            return account;
        } catch (Exception e) {
            // The class name only: SDK messages repeat wire content (the request id, the key).
            log.warn("sts:GetAccessKeyInfo for {} failed: {}", AccessKeyIds.mask(accessKeyId), e.getClass().getName());
            return Optional.empty();
        }
    }

    private void store(String accessKeyId, Optional<String> account) {
        long now = clock.millis();
        if (cache.size() >= maxEntries && !cache.containsKey(accessKeyId)) {
            makeRoom(now);
        }
        cache.put(accessKeyId, new Entry(account, now + (account.isPresent() ? ttlMillis : negativeTtlMillis)));
    }

    /** Drops expired entries, then the one closest to expiry: O(n), but only when the cache is full. */
    private void makeRoom(long now) {
        cache.values().removeIf(e -> e.expiresAtMillis() <= now);
        while (cache.size() >= maxEntries) {
            cache.entrySet().stream()
                    .min((a, b) -> Long.compare(a.getValue().expiresAtMillis(), b.getValue().expiresAtMillis()))
                    .ifPresent(oldest -> cache.remove(oldest.getKey(), oldest.getValue()));
        }
    }

    /** Entries held, fresh or not (for tests and metrics). */
    public int size() {
        return cache.size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        sts.close();
    }
}
