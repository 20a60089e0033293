package io.sekisho.proxy.upstream;

import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.config.SekishoConfig.ResolveRule;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import java.util.List;

/**
 * Where a destination is reached: an {@code upstream.resolve} override (most specific pattern
 * wins; the first listed wins a tie), else the parent proxy when one is configured, else DNS.
 */
public final class UpstreamRoutes {
    private final List<ResolveRule> overrides;
    private final @Nullable HostPort parent;

    public UpstreamRoutes(List<ResolveRule> overrides, @Nullable HostPort parent) {
        this.overrides = List.copyOf(overrides);
        this.parent = parent;
    }

    /** The route for {@code host}; {@code port} is the one the client asked for. */
    public Route route(HostName host, int port) {
        @Nullable ResolveRule best = null;
        for (ResolveRule r : overrides) {
            if (r.pattern().matches(host)
                    && (best == null || r.pattern().specificity() > best.pattern().specificity())) {
                best = r;
            }
        }
        if (best != null) {
            return new Route(Route.Kind.OVERRIDE, best.target());
        }
        if (parent != null) {
            return new Route(Route.Kind.PARENT, parent);
        }
        return new Route(Route.Kind.DNS, new HostPort(host.value(), port));
    }

    public @Nullable HostPort parent() {
        return parent;
    }

    /**
     * @param kind how the target was chosen
     * @param target the address (override), the parent proxy, or the destination itself (DNS)
     */
    public record Route(Kind kind, HostPort target) {
        public enum Kind {
            /** {@code upstream.resolve}: the operator chose the address, so private ranges are allowed. */
            OVERRIDE,
            /** {@code upstream.parent}: the parent resolves and connects; no local DNS. */
            PARENT,
            /** The system resolver; the policy checks every address it returns. */
            DNS
        }
    }
}
