package io.sekisho.proxy.aws;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves an access key ID the policy could not ({@code Policy.keyNeedingLookup}), off the
 * event loop; the forward path decides again when the future completes. The answer reaches
 * the policy through its own cached {@code KeyLookup}, so the value here is informational.
 */
@FunctionalInterface
public interface KeyLookupAsync {

    /** No {@code aws.keyInfoResolver}: nothing is looked up, the first deny stands. */
    KeyLookupAsync NONE = key -> CompletableFuture.completedFuture(Optional.empty());

    /** Completes with the account, or empty on any failure; never completes exceptionally. */
    CompletableFuture<Optional<String>> lookup(String accessKeyId);
}
