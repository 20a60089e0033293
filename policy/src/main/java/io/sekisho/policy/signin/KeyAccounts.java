package io.sekisho.policy.signin;

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
     * The offline resolver: the operator's static map ({@code aws.keys}) first, then the
     * decoding of new-format key IDs (aws-wire-facts §2.1).
     *
     * <p>TODO(merge): replace with an adapter over {@code io.sekisho.policy.aws.AccountResolver}
     * (written in parallel) so that sign-in and API traffic resolve keys in exactly one way.
     */
    static KeyAccounts offline(Map<String, String> staticKeys) {
        return new OfflineKeyAccounts(staticKeys);
    }
}
