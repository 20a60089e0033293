package io.sekisho.proxy.upstream;

import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.policy.ConnectFacts;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Policy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a destination into the addresses to connect to, following {@link UpstreamRoutes}, and
 * checks them by address (STYLE.md rule 6: by name, then by resolved address).
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
        HostName targetHost;
        try {
            targetHost = HostName.parse(t.host());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
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
     * The address check: every address must pass {@link Policy#onAddress} (a name that resolves
     * to one public and one private address is a rebinding attempt, so any deny wins). Through a
     * parent proxy there is nothing to check here: the parent resolves.
     *
     * @return the first deny; else the name decision when it already carries wouldDeny; else the
     *     first address decision that would have denied (report mode); else the name decision,
     *     whose rule and interception choice stand
     */
    public static Decision check(Policy policy, ConnectFacts facts, Located located, Decision byName) {
        if (located.kind() == UpstreamRoutes.Route.Kind.PARENT) {
            return byName;
        }
        Decision firstWouldDeny = null;
        for (InetSocketAddress a : located.addresses()) {
            Decision d = policy.onAddress(facts, a.getAddress(), located.fromOverride());
            if (!d.allowed()) {
                return d;
            }
            if (d.wouldDeny() && firstWouldDeny == null) {
                firstWouldDeny = d;
            }
        }
        if (byName.wouldDeny() || firstWouldDeny == null) {
            return byName;
        }
        return firstWouldDeny.withIntercept(byName.intercept());
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
