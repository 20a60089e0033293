package io.sekisho.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sekisho.policy.Nullable;

/**
 * The configuration in force and its reloads: how many were applied and refused, the SHA-256 of
 * the file in force (as the label of a gauge that is always 1, the Prometheus "info" idiom, so
 * that every instance of a fleet can be checked to run the same file) and when it was loaded.
 */
public final class ReloadMetrics {
    private static final String INFO = "sekisho.config.info";

    private final MeterRegistry registry;
    private final Counter applied;
    private final Counter refused;
    private volatile double loadedAtSeconds;
    private @Nullable Gauge info;

    ReloadMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.applied = Counter.builder("sekisho.reloads").tag("result", "success")
                .description("Configuration reloads, by result").register(registry);
        this.refused = Counter.builder("sekisho.reloads").tag("result", "failure")
                .description("Configuration reloads, by result").register(registry);
        Gauge.builder("sekisho.config.load.timestamp", this, m -> m.loadedAtSeconds).baseUnit("seconds")
                .description("When the configuration in force was loaded (Unix time)").register(registry);
    }

    /** The configuration in force: at start ({@code reload} false) or after a reload. */
    public synchronized void loaded(String sha256, long epochMillis, boolean reload) {
        if (info != null) {
            registry.remove(info);
        }
        info = Gauge.builder(INFO, () -> 1).tag("sha256", sha256)
                .description("Always 1; the label is the SHA-256 of the configuration file in force ('' for the"
                        + " built-in default)").strongReference(true).register(registry);
        loadedAtSeconds = epochMillis / 1000.0;
        if (reload) {
            applied.increment();
        }
    }

    /** A reload applied the file whose content hash is {@code sha256}. */
    public void reloaded(String sha256) {
        loaded(sha256, System.currentTimeMillis(), true);
    }

    /** A reload that was refused: the file had errors, or a CA start would refuse. */
    public void failed() {
        refused.increment();
    }
}
