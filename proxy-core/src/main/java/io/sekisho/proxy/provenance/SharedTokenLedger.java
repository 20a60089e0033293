package io.sekisho.proxy.provenance;

import io.sekisho.policy.signin.SigninTokenHash;
import io.sekisho.policy.signin.SigninTokenStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy's view of a shared token store. The policy never waits on the network: when it
 * redeems a token for an exchange, this ledger either hands over the answer the proxy fetched
 * for that exchange, or notes which token was named and throws
 * {@link SigninTokenStore.Unavailable}, on which the conversation asks for
 * {@code Need.PROVENANCE}; the gate then calls {@link #fetch} and asks again. Records are
 * started at once and the exchange's response waits for {@link #recorded}.
 *
 * <p>Entries are per exchange id, so two requests with the same token never read each other's
 * answer; one the exchange never came back for (its client left) is dropped after
 * {@link #STALE_NANOS}.
 */
public final class SharedTokenLedger implements SigninTokenStore, ProvenanceAccess {
    static final long STALE_NANOS = 60_000_000_000L;
    private static final int SWEEP_ABOVE = 1_024;
    private static final Logger log = LoggerFactory.getLogger(SharedTokenLedger.class);

    /** {@code consume}: a login token redeemed once; else a bearer token looked up. */
    private record Asked(SigninTokenHash token, boolean consume, long at) {
    }

    /** {@code issued} empty: unknown; {@code failed}: the store did not answer. */
    private record Fetched(SigninTokenHash token, Optional<IssuedToken> issued, boolean failed, long at) {
    }

    private record Write(CompletableFuture<Void> done, long at) {
    }

    private final TokenStoreClient store;
    private final LongSupplier nanoTime;
    private final Map<String, Asked> asked = new ConcurrentHashMap<>();
    private final Map<String, Fetched> fetched = new ConcurrentHashMap<>();
    private final Map<String, Write> writes = new ConcurrentHashMap<>();

    public SharedTokenLedger(TokenStoreClient store, LongSupplier nanoTime) {
        this.store = store;
        this.nanoTime = nanoTime;
    }

    public TokenStoreClient store() {
        return store;
    }

    @Override
    public void recordIssued(SigninTokenHash token, IssuedToken issued) {
        store.record(token, issued);
    }

    @Override
    public void recordIssued(String exchangeId, SigninTokenHash token, IssuedToken issued) {
        sweep();
        CompletableFuture<Void> done = new CompletableFuture<>();
        store.record(token, issued).whenComplete((ok, err) -> {
            if (err != null) {
                log.warn("cluster.store did not record a sign-in token ({}); its login will be refused",
                        err.getClass().getSimpleName());
            }
            done.complete(null);
        });
        writes.put(exchangeId, new Write(done, nanoTime.getAsLong()));
    }

    /** Without an exchange there is nothing to hand over: the store's answer must be fetched first. */
    @Override
    public Optional<IssuedToken> redeem(SigninTokenHash token, Instant now) {
        throw new Unavailable("a shared store answers per exchange");
    }

    @Override
    public Optional<IssuedToken> lookup(SigninTokenHash token, Instant now) {
        throw new Unavailable("a shared store answers per exchange");
    }

    @Override
    public Optional<IssuedToken> redeem(String exchangeId, SigninTokenHash token, Instant now) {
        return handOver(exchangeId, token, true, now);
    }

    @Override
    public Optional<IssuedToken> lookup(String exchangeId, SigninTokenHash token, Instant now) {
        return handOver(exchangeId, token, false, now);
    }

    private Optional<IssuedToken> handOver(String exchangeId, SigninTokenHash token, boolean consume, Instant now) {
        Fetched f = fetched.remove(exchangeId);
        if (f == null || !f.token().equals(token)) {
            sweep();
            asked.put(exchangeId, new Asked(token, consume, nanoTime.getAsLong()));
            throw new Unavailable("not fetched yet");
        }
        if (f.failed()) {
            throw new Unavailable("the store did not answer");
        }
        return f.issued().filter(t -> now.isBefore(t.expiresAt()));
    }

    @Override
    public CompletionStage<Void> fetch(String exchangeId) {
        Asked a = asked.remove(exchangeId);
        if (a == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        (a.consume() ? store.redeem(a.token()) : store.lookup(a.token())).whenComplete((issued, err) -> {
            boolean failed = err != null || issued == null;
            Optional<IssuedToken> found = failed ? Optional.empty() : issued;
            fetched.put(exchangeId, new Fetched(a.token(), found, failed, nanoTime.getAsLong()));
            done.complete(null);
        });
        return done;
    }

    @Override
    public CompletionStage<Void> recorded(String exchangeId) {
        Write w = writes.remove(exchangeId);
        return w == null ? CompletableFuture.completedFuture(null) : w.done();
    }

    @Override
    public boolean storeHealthy() {
        return store.healthy();
    }

    /** Entries for exchanges that never came back; {@code at} is when each was made. */
    private void sweep() {
        if (asked.size() + fetched.size() + writes.size() < SWEEP_ABOVE) {
            return;
        }
        long now = nanoTime.getAsLong();
        asked.values().removeIf(a -> stale(a.at(), now));
        fetched.values().removeIf(f -> stale(f.at(), now));
        writes.values().removeIf(w -> stale(w.at(), now));
    }

    private static boolean stale(long at, long now) {
        return now - at > STALE_NANOS;
    }

    /** For tests: entries held. */
    int held() {
        return asked.size() + fetched.size() + writes.size();
    }
}
