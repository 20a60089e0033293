package io.sekisho.proxy.aws;

import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The one {@link StsKeyLookup} of a running proxy, kept across configuration reloads so that its
 * cache survives them; replaced (and the old one closed) only when {@code aws.keyInfoResolver}
 * itself changes, and closed when the section is removed.
 */
public final class KeyLookups implements KeyLookupAsync, AutoCloseable {
    private final Function<SekishoConfig.KeyInfoResolver, StsKeyLookup> factory;
    private SekishoConfig.@Nullable KeyInfoResolver settings;
    private @Nullable StsKeyLookup current;

    public KeyLookups(Function<SekishoConfig.KeyInfoResolver, StsKeyLookup> factory) {
        this.factory = factory;
    }

    /** @param cfg {@code aws.keyInfoResolver}, or null when it is not configured */
    public synchronized Optional<StsKeyLookup> forConfig(SekishoConfig.@Nullable KeyInfoResolver cfg) {
        if (cfg == null || !cfg.equals(settings)) {
            close();
            if (cfg != null) {
                current = factory.apply(cfg);
                settings = cfg;
            }
        }
        return Optional.ofNullable(current);
    }

    /** Through the lookup of the current configuration; empty when none is configured. */
    @Override
    public CompletableFuture<Optional<String>> lookup(String accessKeyId) {
        @Nullable StsKeyLookup l;
        synchronized (this) {
            l = current;
        }
        return l == null ? KeyLookupAsync.NONE.lookup(accessKeyId) : l.lookup(accessKeyId);
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
        }
        current = null;
        settings = null;
    }
}
