package io.sekisho.proxy;

import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Policy;
import io.sekisho.proxy.upstream.UpstreamRoutes;
import java.util.Objects;

/**
 * Everything a reload replaces, swapped in whole through one AtomicReference: a request or
 * CONNECT reads it once when it starts and keeps that snapshot to its end, so open tunnels and
 * exchanges finish under the configuration they began with.
 *
 * @param config the validated configuration
 * @param policy the decision engine built from it, wrapped so that it never throws
 * @param routes {@code upstream.resolve} and {@code upstream.parent}
 * @param generation 1 for the first configuration, +1 per successful reload
 */
public record RuntimeState(SekishoConfig config, Policy policy, UpstreamRoutes routes, long generation) {

    public RuntimeState {
        Objects.requireNonNull(config);
        Objects.requireNonNull(policy);
        Objects.requireNonNull(routes);
    }

    public static RuntimeState of(SekishoConfig config, Policy policy, long generation) {
        return new RuntimeState(config, policy,
                new UpstreamRoutes(config.upstream().resolve(), config.upstream().parent()), generation);
    }

    public Mode mode() {
        return config.policy().mode();
    }
}
