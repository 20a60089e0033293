package io.sekisho.proxy.upstream;

import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.config.SekishoConfig.ResolveRule;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a destination is reached: an {@code upstream.resolve} override (most specific pattern
 * wins; the first listed wins a tie), else the parent proxy when one is configured, else DNS.
 */
public final class UpstreamRoutes {
    private final List<ResolveRule> overrides;
    private final @Nullable HostPort parent;
    /** The overrides' and the parent's host names, parsed once here rather than per connection. */
    private final Map<String, HostName> parsed = new HashMap<>();

    public UpstreamRoutes(List<ResolveRule> overrides, @Nullable HostPort parent) {
        this.overrides = List.copyOf(overrides);
        this.parent = parent;
        for (ResolveRule r : this.overrides) {
            remember(r.target().host());
        }
        if (parent != null) {
            remember(parent.host());
        }
    }

    private void remember(String host) {
        try {
            parsed.put(host, HostName.parse(host));
        } catch (IllegalArgumentException e) {
            // Left out: UpstreamLocator parses it again and fails that connection.
        }
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
            return new Route(Route.Kind.OVERRIDE, best.target(), parsed.get(best.target().host()));
        }
        if (parent != null) {
            return new Route(Route.Kind.PARENT, parent, parsed.get(parent.host()));
        }
        return new Route(Route.Kind.DNS, new HostPort(host.value(), port), host);
    }

    public @Nullable HostPort parent() {
        return parent;
    }

    /**
     * @param kind how the target was chosen
     * @param target the address (override), the parent proxy, or the destination itself (DNS)
     * @param targetHost {@code target}'s host parsed, or null when it does not parse
     */
    public record Route(Kind kind, HostPort target, @Nullable HostName targetHost) {
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
