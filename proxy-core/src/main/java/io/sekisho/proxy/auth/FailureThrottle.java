package io.sekisho.proxy.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failed sign-ins per user name and per client address in a one-minute window that starts at
 * the first failure: at {@code maxPerMinute} further attempts are refused unverified
 * (AUTH_THROTTLED) until the window ends. Bounded: at most 100 000 keys are remembered.
 */
final class FailureThrottle {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private final Cache<String, AtomicInteger> failures;
    private final int maxPerMinute;

    FailureThrottle(int maxPerMinute, Ticker ticker) {
        this.maxPerMinute = maxPerMinute;
        this.failures = Caffeine.newBuilder().expireAfterWrite(WINDOW).maximumSize(100_000).ticker(ticker).build();
    }

    boolean throttled(String user, String address) {
        return count("u:" + user) >= maxPerMinute || count("a:" + address) >= maxPerMinute;
    }

    void failed(String user, String address) {
        failures.get("u:" + user, k -> new AtomicInteger()).incrementAndGet();
        failures.get("a:" + address, k -> new AtomicInteger()).incrementAndGet();
    }

    /** For a scheme that names no user before it succeeds (Negotiate): the address alone. */
    boolean addressThrottled(String address) {
        return count("a:" + address) >= maxPerMinute;
    }

    void addressFailed(String address) {
        failures.get("a:" + address, k -> new AtomicInteger()).incrementAndGet();
    }

    private int count(String key) {
        AtomicInteger n = failures.getIfPresent(key);
        return n == null ? 0 : n.get();
    }
}
