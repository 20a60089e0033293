package io.sekisho.policy.signin;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link SigninTokenStore} of one proxy instance: a bounded map from token hash to the
 * account it was issued for, in insertion order.
 *
 * <p>Bounded because entries are created by responses. Every insert first drops the oldest
 * entries for as long as they have expired by the new entry's issue time (with one lifetime
 * for all tokens, insertion order is expiry order); when the map is still full the oldest
 * entry goes. Only responses to allowed requests for allowed accounts create entries, so
 * filling it takes company credentials, and an evicted token only means that user starts the
 * console sign-in again. The lock is held for map operations only (no I/O).
 */
public final class InMemorySigninTokenStore implements SigninTokenStore {
    /** Default bound: far above the sign-ins a fleet of terminals makes in 15 minutes. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private final int maxEntries;
    private final Map<SigninTokenHash, IssuedToken> entries = new LinkedHashMap<>();

    public InMemorySigninTokenStore() {
        this(DEFAULT_MAX_ENTRIES);
    }

    public InMemorySigninTokenStore(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public synchronized void recordIssued(SigninTokenHash token, IssuedToken issued) {
        entries.remove(token); // a re-issued token moves to the young end
        Iterator<IssuedToken> it = entries.values().iterator();
        while (it.hasNext()) {
            IssuedToken oldest = it.next();
            if (entries.size() < maxEntries && oldest.expiresAt().isAfter(issued.issuedAt())) {
                break;
            }
            it.remove();
        }
        entries.put(token, issued);
    }

    @Override
    public synchronized Optional<IssuedToken> redeem(SigninTokenHash token, Instant now) {
        IssuedToken t = entries.remove(token);
        if (t == null || !now.isBefore(t.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(t);
    }

    @Override
    public synchronized Optional<IssuedToken> lookup(SigninTokenHash token, Instant now) {
        IssuedToken t = entries.get(token);
        if (t == null || !now.isBefore(t.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(t);
    }

    /** Number of entries held (expired ones until the next insert drops them). */
    public synchronized int size() {
        return entries.size();
    }
}
