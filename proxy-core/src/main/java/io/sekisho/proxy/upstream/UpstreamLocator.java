package io.sekisho.proxy.upstream;

import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.policy.HostName;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a destination into the addresses to connect to, following {@link UpstreamRoutes}. The
 * policy checks them (STYLE.md rule 6: by name, then by resolved address) when the gate gives
 * them to it.
 */
public final class UpstreamLocator {
    private final HostResolver resolver;

    public UpstreamLocator(HostResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Where to connect for {@code host:port}. Completes on a resolver thread (or at once for
     * IP literals); the caller hops back to its event loop.
     */
    public CompletableFuture<Located> locate(UpstreamRoutes routes, HostName host, int port) {
        UpstreamRoutes.Route route = routes.route(host, port);
        HostPort t = route.target();
        HostName targetHost = route.targetHost();
        if (targetHost == null) {
            try {
                targetHost = HostName.parse(t.host());
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return resolver.resolve(targetHost).thenApply(addresses -> {
            List<InetSocketAddress> out = new ArrayList<>(addresses.size());
            for (InetAddress a : addresses) {
                out.add(new InetSocketAddress(a, t.port()));
            }
            return new Located(List.copyOf(out), route.kind());
        });
    }

    /**
     * @param addresses where to connect, in order (never empty)
     * @param kind how they were found
     */
    public record Located(List<InetSocketAddress> addresses, UpstreamRoutes.Route.Kind kind) {
        public Located {
            Objects.requireNonNull(kind);
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("no address");
            }
        }

        public boolean viaParent() {
            return kind == UpstreamRoutes.Route.Kind.PARENT;
        }

        public boolean fromOverride() {
            return kind == UpstreamRoutes.Route.Kind.OVERRIDE;
        }
    }
}
