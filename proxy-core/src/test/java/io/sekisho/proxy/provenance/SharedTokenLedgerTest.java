package io.sekisho.proxy.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.policy.signin.SigninTokenHash;
import io.sekisho.policy.signin.SigninTokenStore;
import io.sekisho.policy.signin.SigninTokenStore.IssuedToken;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The policy's view of a shared store: answers per exchange, fetched first, failures held as such. */
class SharedTokenLedgerTest {
    private static final Instant NOW = Instant.parse("2026-01-01T09:00:00Z");
    private static final SigninTokenHash TOKEN = SigninTokenHash.of("token-1");
    private static final IssuedToken ISSUED = new IssuedToken("111122223333", NOW, NOW.plusSeconds(900));

    private final FakeStore store = new FakeStore();
    private final SharedTokenLedger ledger = new SharedTokenLedger(store, System::nanoTime);

    @Test
    void theFirstAskNamesTheTokenAndTheFetchedAnswerDecidesForThatExchangeOnly() {
        store.held.put(TOKEN, ISSUED);
        assertThatThrownBy(() -> ledger.redeem("x1", TOKEN, NOW)).isInstanceOf(SigninTokenStore.Unavailable.class);
        assertThatThrownBy(() -> ledger.redeem("x2", TOKEN, NOW)).isInstanceOf(SigninTokenStore.Unavailable.class);

        ledger.fetch("x1").toCompletableFuture().join();
        ledger.fetch("x2").toCompletableFuture().join();

        assertThat(ledger.redeem("x1", TOKEN, NOW)).contains(ISSUED);
        assertThat(ledger.redeem("x2", TOKEN, NOW)).as("the store gave the token to one exchange").isEmpty();
        assertThat(ledger.held()).isZero();
    }

    @Test
    void aFailedFetchIsUnavailableNotUnknown() {
        store.down = true;
        assertThatThrownBy(() -> ledger.redeem("x1", TOKEN, NOW)).isInstanceOf(SigninTokenStore.Unavailable.class);
        ledger.fetch("x1").toCompletableFuture().join();

        assertThatThrownBy(() -> ledger.redeem("x1", TOKEN, NOW)).isInstanceOf(SigninTokenStore.Unavailable.class);
    }

    @Test
    void anExpiredAnswerIsUnknown() {
        store.held.put(TOKEN, ISSUED);
        assertThatThrownBy(() -> ledger.redeem("x1", TOKEN, NOW)).isInstanceOf(SigninTokenStore.Unavailable.class);
        ledger.fetch("x1").toCompletableFuture().join();

        assertThat(ledger.redeem("x1", TOKEN, NOW.plusSeconds(900))).isEmpty();
    }

    @Test
    void aRecordIsAwaitedByItsExchangeAndAFailedOneStillCompletes() {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        store.nextRecord = ack;
        ledger.recordIssued("x1", TOKEN, ISSUED);

        CompletableFuture<Void> released = ledger.recorded("x1").toCompletableFuture();
        assertThat(released).isNotDone();
        assertThat(ledger.recorded("x2").toCompletableFuture()).isDone();
        ack.completeExceptionally(new IllegalStateException("store down"));
        assertThat(released).isCompletedWithValue(null);
    }

    /** A hand-written fake store: a map, or down. */
    static final class FakeStore implements TokenStoreClient {
        final Map<SigninTokenHash, IssuedToken> held = new HashMap<>();
        boolean down;
        CompletableFuture<Void> nextRecord = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> record(SigninTokenHash token, IssuedToken issued) {
            held.put(token, issued);
            return nextRecord;
        }

        @Override
        public CompletionStage<Optional<IssuedToken>> redeem(SigninTokenHash token) {
            if (down) {
                return CompletableFuture.failedFuture(new IllegalStateException("down"));
            }
            return CompletableFuture.completedFuture(Optional.ofNullable(held.remove(token)));
        }

        @Override
        public boolean healthy() {
            return !down;
        }

        @Override
        public void close() {
        }
    }
}
