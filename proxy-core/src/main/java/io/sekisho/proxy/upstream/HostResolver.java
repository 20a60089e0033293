package io.sekisho.proxy.upstream;

import io.sekisho.policy.HostName;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Name resolution, injected (STYLE.md rule 15) so that tests can fake it and so that a lookup
 * never blocks an event loop: the future completes on a resolver thread, or at once for an IP
 * literal or a remembered answer ({@link CachingHostResolver}); callers hop back to their loop
 * before touching a channel either way.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * Every address of {@code host}, in the order to try. Fails with
     * {@link java.net.UnknownHostException} when the name does not resolve.
     */
    CompletableFuture<List<InetAddress>> resolve(HostName host);
}
