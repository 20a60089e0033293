package io.sekisho.proxy.aws;

import java.util.Optional;

/**
 * One {@code sts:GetAccessKeyInfo} call: the account that owns an access key ID. Blocking; only
 * {@link StsKeyLookup} calls it, on its own threads. The seam lets a test count or stall calls.
 */
@FunctionalInterface
public interface AccessKeyInfo extends AutoCloseable {

    /**
     * @return the twelve-digit account, or empty when STS answered without one
     * @throws Exception any failure (timeout, throttling, an invalid key, no credentials): the caller
     *     treats it as "unresolved"
     */
    Optional<String> accountOf(String accessKeyId) throws Exception;

    /** Prepares for the first call (e.g. resolves credentials); blocking, run off the event loop. */
    default void warmUp() {
    }

    @Override
    default void close() {
    }
}
