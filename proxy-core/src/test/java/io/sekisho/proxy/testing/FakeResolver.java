package io.sekisho.proxy.testing;

import io.sekisho.policy.HostName;
import io.sekisho.proxy.upstream.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** DNS for tests (OkHttp's FakeDns): names map to addresses; anything else does not resolve. */
public final class FakeResolver implements HostResolver {
    private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();
    private final List<String> lookups = new CopyOnWriteArrayList<>();

    public FakeResolver map(String name, InetAddress... addresses) {
        names.put(name, List.of(addresses));
        return this;
    }

    @Override
    public CompletableFuture<List<InetAddress>> resolve(HostName host) {
        if (host.isIpLiteral()) {
            return CompletableFuture.completedFuture(List.of(host.literalAddress()));
        }
        lookups.add(host.value());
        List<InetAddress> a = names.get(host.value());
        // Completed on another thread, as the real resolver does.
        return CompletableFuture.supplyAsync(() -> {
            if (a == null) {
                throw new java.util.concurrent.CompletionException(new UnknownHostException(host.value()));
            }
            return a;
        });
    }

    /** Names looked up so far (IP literals are not looked up). */
    public List<String> lookups() {
        return lookups;
    }
}
