package io.sekisho.proxy;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sekisho.proxy.audit.AuditAdmission;
import io.sekisho.proxy.audit.AuditLog;
import io.sekisho.proxy.auth.Authentication;
import io.sekisho.proxy.aws.KeyLookupAsync;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.proxy.limits.ClientLimits;
import io.sekisho.proxy.metrics.MeteredAuditLog;
import io.sekisho.proxy.metrics.ProxyMetrics;
import io.sekisho.proxy.provenance.ProvenanceAccess;
import io.sekisho.proxy.tls.Interception;
import io.sekisho.proxy.tls.TlsServices;
import io.sekisho.proxy.upstream.CachingHostResolver;
import io.sekisho.proxy.upstream.HostResolver;
import io.sekisho.proxy.upstream.Transport;
import io.sekisho.proxy.upstream.UpstreamPool;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every handler shares: the current {@link RuntimeState} (swapped by reloads), the audit
 * log, the block-response factory, the resolver, the upstream pool, and the injected clock and
 * id source. Thread-safe; one per running proxy.
 */
public final class ProxyServices {
    private final AtomicReference<RuntimeState> state;
    private final Clock clock;
    private final RequestIds ids;
    private final AuditLog audit;
    private final BlockResponses blocks;
    private final HostResolver resolver;
    private final Transport transport;
    private final UpstreamPool pool;
    private final TlsServices tls;
    private final ChannelGroup clientChannels = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final ClientLimits limits;
    private final AuditAdmission admission;
    private final Authentication authentication;
    private final ProxyMetrics metrics = new ProxyMetrics();
    private volatile boolean draining;
    private volatile KeyLookupAsync keyLookup = KeyLookupAsync.NONE;
    private volatile ProvenanceAccess provenance = ProvenanceAccess.LOCAL;

    public ProxyServices(RuntimeState initial, Clock clock, RequestIds ids, AuditLog audit, BlockResponses blocks,
            HostResolver resolver, Transport transport) {
        this(initial, clock, ids, audit, blocks, resolver, transport, TlsServices.NONE);
    }

    public ProxyServices(RuntimeState initial, Clock clock, RequestIds ids, AuditLog audit, BlockResponses blocks,
            HostResolver resolver, Transport transport, TlsServices tls) {
        this.tls = Objects.requireNonNull(tls);
        this.state = new AtomicReference<>(Objects.requireNonNull(initial));
        this.clock = Objects.requireNonNull(clock);
        this.ids = Objects.requireNonNull(ids);
        this.audit = new MeteredAuditLog(Objects.requireNonNull(audit), metrics, AwsHostCatalog.builtIn());
        this.blocks = Objects.requireNonNull(blocks);
        this.resolver = Objects.requireNonNull(resolver);
        this.transport = Objects.requireNonNull(transport);
        this.pool = new UpstreamPool(() -> state().config().upstream());
        this.limits = new ClientLimits(audit, clock, ids);
        this.admission = new AuditAdmission(audit);
        metrics.counter("sekisho.audit.refused", "Requests refused with AUDIT_UNAVAILABLE (audit.onFailure: deny)",
                admission, AuditAdmission::refused);
        metrics.counter("sekisho.audit.served.unaudited",
                "Requests served while the audit could not be written (audit.onFailure: serve)",
                admission, AuditAdmission::servedUnaudited);
        this.authentication = new Authentication(clock);
        metrics.gauge("sekisho.connections.active", "Client connections open", clientChannels, ChannelGroup::size);
        // Registered without interception too (always 0), so that dashboards find every series.
        metrics.counter("sekisho.leaf.cache.hits", "Intercepted CONNECTs served a cached leaf certificate",
                tls, t -> {
                    Interception i = t.interception();
                    return i == null ? 0 : i.leafCacheHits();
                });
        metrics.counter("sekisho.leaf.cache.misses", "Intercepted CONNECTs that had to mint a leaf certificate",
                tls, t -> {
                    Interception i = t.interception();
                    return i == null ? 0 : i.leafCacheMisses();
                });
        // Registered with any resolver (always 0 when the JVM caches no answers), as the leaf-cache pair is.
        metrics.counter("sekisho.dns.cache.hits", "Upstream name lookups answered from the name cache",
                resolver, r -> r instanceof CachingHostResolver c ? c.hits() : 0);
        metrics.counter("sekisho.dns.cache.misses", "Upstream name lookups that went to the system resolver",
                resolver, r -> r instanceof CachingHostResolver c ? c.misses() : 0);
        metrics.buffers(transport.allocator());
        metrics.gauge("sekisho.provenance.store.up", "1 while the sign-in token store answers, 0 while it does not"
                + " (always 1 for the in-memory store, without cluster.store)", this, s -> s.storeHealthy() ? 1 : 0);
    }

    /** Every metric of this proxy, for the admin listener's /metrics. */
    public ProxyMetrics metrics() {
        return metrics;
    }

    /** The configuration and policy new requests and CONNECTs use. */
    public RuntimeState state() {
        return Objects.requireNonNull(state.get(), "set in the constructor, never cleared");
    }

    /** Swaps in a new configuration; exchanges and tunnels already open keep theirs. */
    public void swap(RuntimeState next) {
        state.set(next);
    }

    public Clock clock() {
        return clock;
    }

    public RequestIds ids() {
        return ids;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Whether new requests may be acted on, given the audit (AUDIT_UNAVAILABLE otherwise). */
    public AuditAdmission admission() {
        return admission;
    }

    public BlockResponses blocks() {
        return blocks;
    }

    public HostResolver resolver() {
        return resolver;
    }

    public Transport transport() {
        return transport;
    }

    /** The interception CA and leaf cache (null when not configured) and upstream TLS verification. */
    public TlsServices tls() {
        return tls;
    }

    /** {@code sts:GetAccessKeyInfo} for keys the policy cannot resolve; {@link KeyLookupAsync#NONE} if off. */
    public KeyLookupAsync keyLookup() {
        return keyLookup;
    }

    void keyLookup(KeyLookupAsync lookup) {
        this.keyLookup = Objects.requireNonNull(lookup);
    }

    /** The sign-in token store as the forward path sees it: fetches and records of a shared store. */
    public ProvenanceAccess provenance() {
        return provenance;
    }

    void provenance(ProvenanceAccess p) {
        this.provenance = Objects.requireNonNull(p);
    }

    /**
     * True while the sign-in token store answers (always for the in-memory store). For the admin
     * listener's metrics and readiness: an instance whose shared store is away still serves
     * everything but console logins with a sign-in token.
     */
    public boolean storeHealthy() {
        return provenance.storeHealthy();
    }

    /** True when sign-in token provenance is kept in a shared store ({@code cluster.store}), not in memory. */
    public boolean sharedStore() {
        return provenance != ProvenanceAccess.LOCAL;
    }

    public UpstreamPool pool() {
        return pool;
    }

    /** Connection counts and the other state that {@code limits.*} needs across connections. */
    public ClientLimits limits() {
        return limits;
    }

    /** Proxy authentication ({@code auth}): its executor and the authenticator in force. */
    public Authentication authentication() {
        return authentication;
    }

    /** Open client connections, for graceful shutdown. */
    public ChannelGroup clientChannels() {
        return clientChannels;
    }

    /** True once shutdown has begun: responses say Connection: close and idle clients are closed. */
    public boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }
}
