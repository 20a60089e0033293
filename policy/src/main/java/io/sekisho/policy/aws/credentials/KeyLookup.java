package io.sekisho.policy.aws.credentials;

import java.util.Optional;

/**
 * Answers already obtained from {@code sts:GetAccessKeyInfo} for keys that cannot be decoded
 * offline (aws-wire-facts §2.3). proxy-core implements it with the AWS SDK, off the event loop,
 * with a timeout and a cache; the policy only ever reads the cache, so deciding never blocks.
 *
 * <p>The flow: {@link AwsApiInspector#decide} denies with {@code AWS_KEY_UNRESOLVABLE};
 * {@link AwsApiInspector#keyNeedingLookup} names the key; the proxy resolves it (or records
 * that it failed, so that it does not ask again), fills its cache and calls {@code decide}
 * again.
 */
public interface KeyLookup {

    /** No resolver configured: nothing is ever looked up. */
    KeyLookup NONE = new KeyLookup() {
        @Override
        public Optional<String> cached(String accessKeyId) {
            return Optional.empty();
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    /** The account a previous lookup returned for this key ID; never blocks. */
    Optional<String> cached(String accessKeyId);

    /** True when a resolver is configured, so asking for a lookup makes sense. */
    boolean enabled();
}
