package io.sekisho.proxy.provenance;

import io.sekisho.policy.signin.SigninTokenHash;
import io.sekisho.policy.signin.SigninTokenStore.IssuedToken;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A sign-in token store shared by a group of instances, asynchronous: no call blocks, answers
 * and failures come back on the client's own threads.
 */
public interface TokenStoreClient extends AutoCloseable {

    /** Stores the token until it expires; fails when the store did not acknowledge it. */
    CompletionStage<Void> record(SigninTokenHash token, IssuedToken issued);

    /** Takes the token out of the store (at most one instance ever gets it); empty when unknown. */
    CompletionStage<Optional<IssuedToken>> redeem(SigninTokenHash token);

    /**
     * Reads the token without taking it out (an OAuth bearer token is presented many times);
     * empty when unknown. A store that keeps no bearer tokens answers empty.
     */
    default CompletionStage<Optional<IssuedToken>> lookup(SigninTokenHash token) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /** True while connected. */
    boolean healthy();

    @Override
    void close();
}
