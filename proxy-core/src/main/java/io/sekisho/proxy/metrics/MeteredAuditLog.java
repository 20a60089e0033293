package io.sekisho.proxy.metrics;

import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostClassifier;
import io.sekisho.policy.HostName;
import io.sekisho.proxy.audit.AuditLog;
import io.sekisho.proxy.audit.AuditRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts every decision on its way to the audit sink: every decision is exactly one audit line
 * (DESIGN.md), so counting here counts each once, whichever handler made it. The host class comes
 * from the AWS host catalog, remembered per host name so that a host seen before costs one map
 * read (the map is bounded: cleared when it outgrows {@value #MAX_HOSTS} names).
 */
public final class MeteredAuditLog implements AuditLog {
    private static final int MAX_HOSTS = 16_384;

    private final AuditLog sink;
    private final ProxyMetrics metrics;
    private final HostClassifier classifier;
    private final Map<String, HostClass> classes = new ConcurrentHashMap<>();

    public MeteredAuditLog(AuditLog sink, ProxyMetrics metrics, HostClassifier classifier) {
        this.sink = sink;
        this.metrics = metrics;
        this.classifier = classifier;
        metrics.gauge("sekisho.audit.queue.depth", "Audit lines accepted and not yet written", sink,
                AuditLog::queueDepth);
        metrics.counter("sekisho.audit.write.failures", "Audit writes that failed (disk full, I/O error)", sink,
                AuditLog::writeFailures);
        metrics.counter("sekisho.audit.dropped", "Audit lines not accepted (queue full or closed)", sink,
                AuditLog::dropped);
    }

    @Override
    public void write(AuditRecord record) {
        metrics.decided(record.decision(), hostClass(record.host()), record.bytesUp(), record.bytesDown());
        sink.write(record);
    }

    private HostClass hostClass(String host) {
        HostClass c = classes.get(host);
        if (c == null) {
            c = classify(host);
            if (classes.size() >= MAX_HOSTS) {
                classes.clear();
            }
            classes.put(host, c);
        }
        return c;
    }

    private HostClass classify(String host) {
        if (host.isEmpty()) {
            return HostClass.NOT_AWS;
        }
        try {
            return classifier.classify(HostName.parse(host)).hostClass();
        } catch (RuntimeException e) {
            return HostClass.NOT_AWS;
        }
    }

    @Override
    public long dropped() {
        return sink.dropped();
    }

    @Override
    public long queueDepth() {
        return sink.queueDepth();
    }

    @Override
    public long writeFailures() {
        return sink.writeFailures();
    }

    @Override
    public boolean accepting() {
        return sink.accepting();
    }

    @Override
    public void reopen() {
        sink.reopen();
    }

    @Override
    public void close() {
        sink.close();
    }
}
