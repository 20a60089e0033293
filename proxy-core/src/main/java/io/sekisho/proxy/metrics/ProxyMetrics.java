package io.sekisho.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Verdict;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Every metric Sekisho exposes on the admin listener's {@code /metrics} (docs/operations.md lists
 * them). The meters are registered once; the ones with labels are cached in arrays indexed by
 * their enum values, so that recording on an event loop is an array read and an atomic add,
 * with no allocation and no registry lookup after the first use of a label combination. The
 * counts added once per exchange are {@link StripedCount}s, so that two loops do not share a
 * cache line for them.
 */
public final class ProxyMetrics {
    /** Latency buckets (seconds): a decision from memory takes microseconds, one that waits for DNS or STS seconds. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10)};

    /** The verdict label: what happened, with report mode's would-deny apart from a plain allow. */
    enum VerdictLabel {
        ALLOW("allow"), DENY("deny"), WOULD_DENY("would_deny");

        final String text;

        VerdictLabel(String text) {
            this.text = text;
        }

        static VerdictLabel of(Decision d) {
            return d.verdict() == Verdict.DENY ? DENY : d.wouldDeny() ? WOULD_DENY : ALLOW;
        }
    }

    /** Which side a TLS handshake failed on: the client's with the minted leaf, or Sekisho's with the upstream. */
    enum TlsSide { CLIENT, UPSTREAM }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final StripedCount[][][] decisions =
            new StripedCount[VerdictLabel.values().length][Reason.values().length][HostClass.values().length];
    private final StripedCount bytesUp;
    private final StripedCount bytesDown;
    private final Timer decisionLatency;
    private final Timer upstreamConnect;
    private final Timer upstreamResponse;
    private final Counter[] tlsFailures = new Counter[TlsSide.values().length];
    private final AtomicLong tunnels = new AtomicLong();
    private final AtomicLong intercepted = new AtomicLong();
    private final ReloadMetrics reloads;

    public ProxyMetrics() {
        bytesUp = bytes("up", "client to upstream");
        bytesDown = bytes("down", "upstream to client");
        decisionLatency = latency("sekisho.decision.duration",
                "From a request or CONNECT's arrival at the policy to its decision (DNS, body, key lookups included)");
        upstreamConnect = latency("sekisho.upstream.connect.duration",
                "Connecting to the upstream (TCP, and TLS for https upstreams)");
        upstreamResponse = latency("sekisho.upstream.response.duration",
                "From a forwarded request's end to the upstream's response head");
        for (TlsSide side : TlsSide.values()) {
            tlsFailures[side.ordinal()] = Counter.builder("sekisho.tls.handshake.failures")
                    .description("TLS handshakes that failed: the client's with the minted leaf, or Sekisho's"
                            + " with the upstream").tag("side", side.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("sekisho.tunnels.active", tunnels, AtomicLong::get)
                .description("CONNECT tunnels open and relaying bytes (not intercepted)").register(registry);
        Gauge.builder("sekisho.intercepted.active", intercepted, AtomicLong::get)
                .description("CONNECTs open with TLS interception").register(registry);
        reloads = new ReloadMetrics(registry);
    }

    private StripedCount bytes(String direction, String what) {
        StripedCount count = new StripedCount();
        FunctionCounter.builder("sekisho.bytes", count, StripedCount::sum).baseUnit("bytes").tag("direction", direction)
                .description("Body and tunnel bytes, " + what + ", counted when the exchange or tunnel ends")
                .register(registry);
        return count;
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(LATENCY_BUCKETS)
                .minimumExpectedValue(LATENCY_BUCKETS[0]).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /** One decision as audited, and its bytes. Called on event loops. */
    public void decided(Decision d, HostClass hostClass, long bytesUpCount, long bytesDownCount) {
        VerdictLabel v = VerdictLabel.of(d);
        StripedCount c = decisions[v.ordinal()][d.reason().ordinal()][hostClass.ordinal()];
        if (c == null) {
            c = decisionCount(v, d.reason(), hostClass);
        }
        c.add(1);
        Reason r = d.reason();
        if (r == Reason.CLIENT_TLS_FAILED) {
            tlsFailures[TlsSide.CLIENT.ordinal()].increment();
        } else if (r == Reason.UPSTREAM_TLS_FAILED || r == Reason.UPSTREAM_CERT_INVALID) {
            tlsFailures[TlsSide.UPSTREAM.ordinal()].increment();
        }
        if (bytesUpCount > 0) {
            bytesUp.add(bytesUpCount);
        }
        if (bytesDownCount > 0) {
            bytesDown.add(bytesDownCount);
        }
    }

    /**
     * The count of one label combination, registered on its first use. One thread at a time, so
     * that two loops meeting a new combination together count into the same object (the array
     * read outside the lock sees a complete one: its only field is final).
     */
    private synchronized StripedCount decisionCount(VerdictLabel v, Reason reason, HostClass hostClass) {
        StripedCount[] byClass = decisions[v.ordinal()][reason.ordinal()];
        StripedCount c = byClass[hostClass.ordinal()];
        if (c == null) {
            c = new StripedCount();
            FunctionCounter.builder("sekisho.decisions", c, StripedCount::sum)
                    .description("Decisions, one per audit line").tag("verdict", v.text).tag("reason", reason.name())
                    .tag("host_class", hostClass.name().toLowerCase(Locale.ROOT)).register(registry);
            byClass[hostClass.ordinal()] = c;
        }
        return c;
    }

    public void decisionTook(long nanos) {
        decisionLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void upstreamConnectTook(long nanos) {
        upstreamConnect.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** @param nanos 0 when the wait was not timed (nothing recorded) */
    public void upstreamResponseTook(long nanos) {
        if (nanos > 0) {
            upstreamResponse.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public void tunnelOpened() {
        tunnels.incrementAndGet();
    }

    public void tunnelClosed() {
        tunnels.decrementAndGet();
    }

    public void interceptionOpened() {
        intercepted.incrementAndGet();
    }

    public void interceptionClosed() {
        intercepted.decrementAndGet();
    }

    public ReloadMetrics reloads() {
        return reloads;
    }

    /**
     * The memory the channels' buffer allocator holds, direct and heap. Micrometer's Netty binder
     * registers its gauges without help text or unit, which promtool refuses; these have both.
     */
    public void buffers(ByteBufAllocator allocator) {
        if (allocator instanceof ByteBufAllocatorMetricProvider p) {
            ByteBufAllocatorMetric m = p.metric();
            bufferMemory("direct", m, ByteBufAllocatorMetric::usedDirectMemory);
            bufferMemory("heap", m, ByteBufAllocatorMetric::usedHeapMemory);
        }
    }

    private void bufferMemory(String type, ByteBufAllocatorMetric m, ToDoubleFunction<ByteBufAllocatorMetric> used) {
        Gauge.builder("sekisho.buffer.memory.used", m, used).baseUnit("bytes").tag("memory_type", type)
                .description("Memory the channels' buffer allocator holds (whole chunks of its pools)")
                .strongReference(true).register(registry);
    }

    /** A gauge read at scrape time from {@code source} (which the registry holds weakly: keep it). */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).strongReference(true).register(registry);
    }

    /** A counter read at scrape time from {@code source}, which counts by itself (held weakly: keep it). */
    public <T> void counter(String name, String description, T source, ToLongFunction<T> value) {
        FunctionCounter.builder(name, source, s -> value.applyAsLong(s)).description(description).register(registry);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
