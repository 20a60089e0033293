package io.sekisho.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Decision;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.proxy.audit.AuditLog;
import io.sekisho.proxy.audit.AuditRecord;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 1: recording on the hot path allocates nothing once a label combination has
 * been seen: the decision counter, bytes, the host class and the latency histograms. Measured
 * with the JVM's per-thread allocation counter (bytes, not time), over 100,000 decisions.
 */
class RecordingAllocatesNothingTest {
    private static final int CALLS = 100_000;

    @Test
    void aDecisionOnTheHotPathAllocatesLessThanOneBytePerCall() {
        ProxyMetrics metrics = new ProxyMetrics();
        AuditLog sink = record -> { };
        MeteredAuditLog audit = new MeteredAuditLog(sink, metrics, AwsHostCatalog.builtIn());
        AuditRecord allowed = record("sts.us-east-1.amazonaws.com", Decision.allow(Reason.DOMAIN_ALLOWED, "r"));
        AuditRecord denied = record("example.net", Decision.deny(Reason.DOMAIN_NOT_ALLOWED, ""));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();

        run(metrics, audit, allowed, denied, CALLS);
        long before = threads.getThreadAllocatedBytes(self);
        run(metrics, audit, allowed, denied, CALLS);
        long allocated = threads.getThreadAllocatedBytes(self) - before;

        System.out.printf("recording %d decisions allocated %d bytes%n", CALLS, allocated);
        assertThat(allocated).as("bytes allocated by %d recorded decisions", CALLS).isLessThan(CALLS);
        assertThat(metrics.scrape()).contains("sekisho_decisions_total{host_class=\"aws_api\",reason=\"DOMAIN_ALLOWED\","
                + "verdict=\"allow\"} " + (double) CALLS);
    }

    private static void run(ProxyMetrics metrics, AuditLog audit, AuditRecord a, AuditRecord b, int n) {
        for (int i = 0; i < n; i++) {
            audit.write((i & 1) == 0 ? a : b);
            metrics.decisionTook(1_000 + i);
            metrics.upstreamConnectTook(50_000);
            metrics.upstreamResponseTook(70_000);
        }
    }

    private static AuditRecord record(String host, Decision d) {
        return new AuditRecord(Instant.EPOCH, "id", "127.0.0.1:1", "GET", host, 443, "/", d, Mode.ENFORCE, 10, 20, 1,
                AuditRecord.Http.NONE, Identity.ANONYMOUS);
    }
}
