package io.sekisho.proxy;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sekisho.proxy.audit.AuditAdmission;
import io.sekisho.proxy.audit.AuditLog;
import io.sekisho.proxy.aws.KeyLookupAsync;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.limits.ClientLimits;
import io.sekisho.proxy.tls.TlsServices;
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
    private volatile boolean draining;
    private volatile KeyLookupAsync keyLookup = KeyLookupAsync.NONE;

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
        this.audit = Objects.requireNonNull(audit);
        this.blocks = Objects.requireNonNull(blocks);
        this.resolver = Objects.requireNonNull(resolver);
        this.transport = Objects.requireNonNull(transport);
        this.pool = new UpstreamPool(() -> state().config().upstream());
        this.limits = new ClientLimits(audit, clock, ids);
        this.admission = new AuditAdmission(audit);
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

    public UpstreamPool pool() {
        return pool;
    }

    /** Connection counts and the other state that {@code limits.*} needs across connections. */
    public ClientLimits limits() {
        return limits;
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
