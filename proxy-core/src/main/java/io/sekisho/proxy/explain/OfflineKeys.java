package io.sekisho.proxy.explain;

import io.sekisho.policy.aws.credentials.KeyLookup;
import java.util.Optional;

/**
 * The key lookup explain offers the policy: never a network call. It is "enabled" exactly when
 * the configuration has {@code aws.keyInfoResolver}, so the policy asks for a lookup where the
 * proxy would; explain then says that the proxy would have asked STS, and decides with no answer.
 */
final class OfflineKeys implements KeyLookup {
    private final boolean resolverConfigured;

    OfflineKeys(boolean resolverConfigured) {
        this.resolverConfigured = resolverConfigured;
    }

    @Override
    public Optional<String> cached(String accessKeyId) {
        return Optional.empty();
    }

    @Override
    public boolean enabled() {
        return resolverConfigured;
    }
}
