package io.sekisho.policy.signin;

import io.sekisho.policy.aws.credentials.AccountResolver;
import io.sekisho.policy.aws.KeyLookup;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves an access key ID to the AWS account that owns it. The sign-in inspector needs it
 * for the federation {@code Session}'s {@code sessionId} (aws-wire-facts §4.1) and for a SigV4
 * credential sent to a sign-in host.
 *
 * <p>An implementation is pure and fast: it is called on the request path and must not do
 * network I/O (an {@code sts:GetAccessKeyInfo} resolver fills a cache elsewhere).
 */
@FunctionalInterface
public interface KeyAccounts {

    /** The twelve-digit account that owns {@code accessKeyId}, or empty when it cannot be told. */
    Optional<String> accountOf(String accessKeyId);

    /**
     * Resolves keys exactly as API traffic does ({@link AccountResolver}: decoding of new-format
     * key IDs, then {@code aws.keys}, then cached {@code sts:GetAccessKeyInfo} answers), so a
     * federation session key and a SigV4 key of the same account are judged alike.
     */
    static KeyAccounts of(AccountResolver resolver) {
        return keyId -> {
            AccountResolver.Resolution r = resolver.resolve(keyId);
            return r.resolved() ? Optional.of(r.account()) : Optional.empty();
        };
    }

    /** {@link #of} without a lookup: the static map and offline decoding only. */
    static KeyAccounts offline(Map<String, String> staticKeys) {
        return of(new AccountResolver(staticKeys, KeyLookup.NONE));
    }
}
