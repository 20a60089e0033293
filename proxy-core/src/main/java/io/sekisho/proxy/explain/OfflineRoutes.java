package io.sekisho.proxy.explain;

import io.sekisho.policy.Nullable;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Route;
import java.net.InetAddress;
import java.util.List;

/**
 * Where a destination goes, without DNS: through {@code upstream.parent} (nothing to check by
 * address), an IP literal, or an {@code upstream.resolve} entry whose target is an IP literal.
 * Otherwise the check by address is left out, and explain says so.
 */
final class OfflineRoutes {
    private final SekishoConfig.Upstream upstream;

    OfflineRoutes(SekishoConfig.Upstream upstream) {
        this.upstream = upstream;
    }

    Route route(HostName host, List<String> steps) {
        if (upstream.parent() != null) {
            steps.add("addresses: through upstream.parent " + upstream.parent() + ", which resolves: nothing to check");
            return new Route(List.of(), false, true);
        }
        InetAddress literal = host.literalAddress();
        if (literal != null) {
            return new Route(List.of(literal), false, false);
        }
        SekishoConfig.ResolveRule best = null;
        for (SekishoConfig.ResolveRule r : upstream.resolve()) {
            boolean better = best == null || r.pattern().specificity() > best.pattern().specificity();
            if (r.pattern().matches(host) && better) {
                best = r;
            }
        }
        if (best != null) {
            InetAddress target = literal(best.target().host());
            if (target != null) {
                steps.add("addresses: upstream.resolve " + best.pattern().text() + " -> " + best.target());
                return new Route(List.of(target), true, false);
            }
        }
        steps.add("addresses: " + host.value() + " is not resolved (explain makes no DNS query);"
                + " the check by address is left out");
        return new Route(List.of(), false, false);
    }

    private static @Nullable InetAddress literal(String host) {
        try {
            return HostName.parse(host).literalAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
