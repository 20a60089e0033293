package io.sekisho.policy.aws.bench;

import io.sekisho.policy.HostClass;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.AwsApiInspector;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.CorpusFixture;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.aws.Settings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The calls of {@link AwsInspectionBenchmark#inspect} ({@code bodyNeed}, then {@code decide})
 * timed by thread CPU time, for a machine too loaded for wall-clock JMH: the time the thread
 * waits for a CPU is left out. Per corpus request named in the arguments: 300,000 warm-up
 * calls, then 30 rounds of 20,000; prints the median and fastest round in ns per request.
 */
public final class InspectionCpuTime {
    private static final int WARM_UP = 300_000;
    private static final int ROUNDS = 30;
    private static final int PER_ROUND = 20_000;

    private InspectionCpuTime() {
    }

    public static void main(String[] fixtures) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AwsApiInspector inspector = new AwsApiInspector(Settings.BASE, Settings.BODY_LIMIT, AwsHostCatalog.builtIn(),
                KeyLookup.NONE);
        long sink = 0;
        for (String fixture : fixtures) {
            RequestFacts facts = CorpusFixture.named(fixture).facts();
            sink += run(inspector, facts, WARM_UP);
            double[] nsPerCall = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long start = threads.getCurrentThreadCpuTime();
                sink += run(inspector, facts, PER_ROUND);
                nsPerCall[r] = (threads.getCurrentThreadCpuTime() - start) / (double) PER_ROUND;
            }
            Arrays.sort(nsPerCall);
            System.out.printf("%s median %.0f fastest %.0f ns%n", fixture,
                    (nsPerCall[ROUNDS / 2 - 1] + nsPerCall[ROUNDS / 2]) / 2, nsPerCall[0]);
        }
        System.out.println("# " + sink); // keeps the calls from being optimised away
    }

    private static long run(AwsApiInspector inspector, RequestFacts facts, int calls) {
        long sink = 0;
        for (int i = 0; i < calls; i++) {
            sink += inspector.bodyNeed(facts, HostClass.AWS_API).limit();
            sink += inspector.decide(facts, HostClass.AWS_API).reason().ordinal();
        }
        return sink;
    }
}
