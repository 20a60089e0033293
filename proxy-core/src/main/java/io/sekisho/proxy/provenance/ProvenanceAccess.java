package io.sekisho.proxy.provenance;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the forward path asks of the sign-in token store, beside what the policy reads from it:
 * fetch the answer the policy asked for ({@code Need.PROVENANCE}), and wait for a token's record
 * before the response that issued it reaches the client. {@link #LOCAL} serves the in-memory
 * store of one instance, where both are done at once.
 */
public interface ProvenanceAccess {

    /** The in-memory store: nothing to fetch, nothing to wait for. */
    ProvenanceAccess LOCAL = new ProvenanceAccess() {
        @Override
        public CompletionStage<Void> fetch(String exchangeId) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> recorded(String exchangeId) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean storeHealthy() {
            return true;
        }
    };

    /**
     * Fetches, off the event loop, the answer on the token the policy named for this exchange;
     * completes (never exceptionally) once the policy's token store holds it, or holds the failure.
     */
    CompletionStage<Void> fetch(String exchangeId);

    /**
     * Completes (never exceptionally) once the token this exchange's response issued is recorded
     * in the shared store, or the record failed; at once when there is none.
     */
    CompletionStage<Void> recorded(String exchangeId);

    /** True while the store answers (always for the in-memory store): for metrics and readiness. */
    boolean storeHealthy();
}
