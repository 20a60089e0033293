package io.sekisho.proxy.cli;

import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.provenance.ClusterStores;
import io.sekisho.proxy.provenance.SharedTokenLedger;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared sign-in token store of a running proxy: made from the first configuration with a
 * {@code cluster:} section and kept across reloads (a reload that changes {@code cluster} is
 * logged and waits for a restart). A store that cannot be set up (an unreadable secret) stops the
 * start; a store that cannot be reached does not (its sign-ins are denied until it answers).
 */
final class SharedStores {
    private static final Logger log = LoggerFactory.getLogger(SharedStores.class);

    private @Nullable SekishoConfig.Cluster made;
    private @Nullable SharedTokenLedger ledger;

    synchronized @Nullable SharedTokenLedger ledger() {
        return ledger;
    }

    synchronized SharedTokenLedger forConfig(SekishoConfig.Cluster cluster) {
        if (ledger == null) {
            try {
                ledger = ClusterStores.start(cluster, System::getenv, Clock.systemUTC());
                made = cluster;
            } catch (ClusterStores.SetupException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        } else if (!cluster.equals(made)) {
            log.warn("cluster: changed; the shared sign-in token store in use stays until a restart");
        }
        return ledger;
    }
}
