package io.sekisho.proxy.upstream;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers the addresses a name resolved to, so that a name asked for again is answered at once
 * on the caller's thread (an event loop) instead of by a round trip through the resolver's
 * threads: two thread wake-ups per new connection, and 16 µs of resolver-thread CPU per tunnel
 * (docs/performance.md). Squid's ipcache does the same.
 *
 * <p>An answer is kept for the JVM's own positive-cache time ({@link #jvmPositiveTtl}), so it is
 * never older than twice that; failures are not kept (the JVM keeps them for its negative-cache
 * time). Lookups of one name that overlap share one call to the delegate. The policy checks the
 * addresses on every use, as it checks a fresh answer.
 */
public final class CachingHostResolver implements HostResolver {
    /** {@code java.security}'s default when no security manager is installed. */
    static final Duration JVM_DEFAULT_TTL = Duration.ofSeconds(30);

    private final HostResolver delegate;
    private final AsyncCache<String, List<InetAddress>> answers;

    /**
     * @param delegate the resolver asked on a miss
     * @param ttl how long an answer is kept after it arrived; positive ({@link #withJvmTtl} keeps none for 0)
     * @param maxNames the most names kept
     * @param ticker the clock for the expiry
     */
    public CachingHostResolver(HostResolver delegate, Duration ttl, long maxNames, Ticker ticker) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        this.delegate = delegate;
        // Maintenance on the calling thread: no pool thread to wake per entry.
        this.answers = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxNames)
                .executor(Runnable::run).ticker(ticker).recordStats().buildAsync();
    }

    /**
     * {@code delegate} behind a cache of the JVM's positive-cache time, or {@code delegate} itself
     * when the JVM caches nothing.
     */
    public static HostResolver withJvmTtl(HostResolver delegate, long maxNames) {
        Duration ttl = jvmPositiveTtl();
        return ttl.isZero() ? delegate : new CachingHostResolver(delegate, ttl, maxNames, Ticker.systemTicker());
    }

    @Override
    public CompletableFuture<List<InetAddress>> resolve(HostName host) {
        if (host.isIpLiteral()) {
            return delegate.resolve(host);
        }
        // A failed lookup leaves the cache on its own (Caffeine drops failed futures).
        return answers.get(host.value(), (name, executor) -> delegate.resolve(host));
    }

    /** Lookups of a name answered from memory, or joined to one under way (IP literals are not counted). */
    public long hits() {
        return answers.synchronous().stats().hitCount();
    }

    /** Lookups of a name that went to the resolver. */
    public long misses() {
        return answers.synchronous().stats().missCount();
    }

    /** Names held now (after pending evictions ran): for the tests. */
    long size() {
        answers.synchronous().cleanUp();
        return answers.synchronous().estimatedSize();
    }

    /**
     * How long the JVM keeps a successful lookup: the security property
     * {@code networkaddress.cache.ttl}, else the system property {@code sun.net.inetaddr.ttl},
     * else 30 s, the order {@link InetAddress} reads them in. A negative value ("forever") is
     * held for a day.
     */
    public static Duration jvmPositiveTtl() {
        return ttlOf(java.security.Security.getProperty("networkaddress.cache.ttl"),
                System.getProperty("sun.net.inetaddr.ttl"));
    }

    static Duration ttlOf(@Nullable String securityProperty, @Nullable String systemProperty) {
        Long seconds = seconds(securityProperty);
        if (seconds == null) {
            seconds = seconds(systemProperty);
        }
        if (seconds == null) {
            return JVM_DEFAULT_TTL;
        }
        return seconds < 0 ? Duration.ofDays(1) : Duration.ofSeconds(seconds);
    }

    private static @Nullable Long seconds(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
