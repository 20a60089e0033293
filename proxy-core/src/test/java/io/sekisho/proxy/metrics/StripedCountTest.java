package io.sekisho.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * The per-thread counts behind {@code sekisho_decisions_total} and {@code sekisho_bytes_total}:
 * exact under concurrent adds, with more threads than slots (which then share one), and one
 * count per label combination when several threads meet it first at the same time.
 */
class StripedCountTest {
    private static final int THREADS = 40;
    private static final int ADDS = 20_000;

    @Test
    void concurrentAddsFromMoreThreadsThanSlotsSumExactly() throws Exception {
        StripedCount count = new StripedCount();
        runTogether(() -> {
            for (int i = 0; i < ADDS; i++) {
                count.add(3);
            }
        });
        assertThat(count.sum()).isEqualTo(3L * THREADS * ADDS);
    }

    @Test
    void threadsMeetingANewLabelCombinationTogetherCountIntoOneSeries() throws Exception {
        ProxyMetrics metrics = new ProxyMetrics();
        Decision allowed = Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "aws.accounts.allow");
        runTogether(() -> {
            for (int i = 0; i < ADDS; i++) {
                metrics.decided(allowed, HostClass.AWS_API, 2, 5);
            }
        });
        String scrape = metrics.scrape();
        assertThat(scrape).contains("sekisho_decisions_total{host_class=\"aws_api\",reason=\"AWS_ACCOUNT_ALLOWED\","
                + "verdict=\"allow\"} " + (double) (THREADS * ADDS));
        assertThat(scrape).contains("sekisho_bytes_total{direction=\"up\"} " + (double) (2L * THREADS * ADDS));
        assertThat(scrape).contains("sekisho_bytes_total{direction=\"down\"} " + (double) (5L * THREADS * ADDS));
    }

    /** Starts {@value #THREADS} threads at one barrier, each running {@code work}, and waits for all. */
    private static void runTogether(Runnable work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                work.run();
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
    }
}
