package io.sekisho.policy.bench;

import io.sekisho.policy.Answer;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.ConnectFacts;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Policy;
import io.sekisho.policy.PolicyEntry;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.Route;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.domain.DomainPattern;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What per-group policies add to a decision: a CONNECT decided by the top-level engine alone,
 * and through a {@link io.sekisho.policy.PolicySet} of {@code entries} entries (each with two
 * groups and two client networks) for a user in eight groups whom no entry selects, so that
 * every entry is tested. Run as {@code AwsInspectionBenchmark} says, with this class's name.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class PolicySetBenchmark {
    /** -1: the top-level engine alone, without a policy set. */
    @Param({"-1", "0", "20"})
    public int entries;

    private Policy policy;
    private ConnectFacts facts;
    private Identity who;
    private InetAddress from;
    private final Route route = new Route(List.of(), false, true);

    @Setup
    public void setUp() throws Exception {
        PolicySettings top = settings(".example.com");
        List<PolicyEntry> list = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            list.add(new PolicyEntry("entry-" + i, Set.of("group-" + i, "team-" + i),
                    List.of(DomainPattern.parse("10." + i + ".0.0/16"), DomainPattern.parse("fd00:" + i + "::/32")),
                    settings("docs.example.com")));
        }
        policy = entries < 0
                ? StandardPolicy.create(top, KeyLookup.NONE, new InMemorySigninTokenStore(), Clock.systemUTC())
                : StandardPolicy.create(top, list, KeyLookup.NONE, new InMemorySigninTokenStore(), Clock.systemUTC());
        facts = new ConnectFacts("192.0.2.10:5000", HostName.parse("www.example.com"), 443);
        who = new Identity("alice", List.of("staff", "finance", "London", "vpn", "printers", "wiki", "mail",
                "all-users"), "basic");
        from = InetAddress.getByName("192.0.2.10");
    }

    private static PolicySettings settings(String allow) {
        return new PolicySettings(Mode.ENFORCE, List.of(DomainPattern.parse(allow)), List.of(), Set.of(443),
                Set.of(80), List.of(), false, 65_536, AwsSettings.NONE);
    }

    @Benchmark
    public Answer connect() {
        Exchange x = Exchange.connect(facts).from(who, from);
        policy.decide(x);
        return policy.decide(x.withRoute(route));
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(PolicySetBenchmark.class.getSimpleName()).build()).run();
    }
}
