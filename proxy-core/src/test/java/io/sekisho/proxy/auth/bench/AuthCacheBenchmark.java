package io.sekisho.proxy.auth.bench;

import io.sekisho.config.ClientAccess.Auth;
import io.sekisho.proxy.auth.AuthOutcome;
import io.sekisho.proxy.auth.Authenticator;
import io.sekisho.proxy.testing.ProxyUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Basic authentication costs a request when the cache is warm: the cache lookup the
 * {@code ProxyAuthHandler} makes for every absolute-form request and for every CONNECT (requests
 * inside a tunnel make none). {@code coldBcrypt} is a miss, for scale: it runs on the
 * authentication executor, never on an event loop.
 *
 * <p>Run (docs/performance.md): {@code mvn -q -pl proxy-core -am test-compile
 * dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp}, then
 * {@code cd proxy-core && java -cp target/test-classes:target/classes:$(cat target/bench.cp)
 * org.openjdk.jmh.Main AuthCacheBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class AuthCacheBenchmark {
    private Authenticator authenticator;
    private List<String> header;
    private List<String> wrong;

    @Setup
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("auth-bench");
        Path htpasswd = ProxyUsers.writeHtpasswd(dir.resolve("htpasswd"));
        Auth auth = new Auth(List.of("basic"), "bench", htpasswd, null, null, Duration.ofMinutes(5), Duration.ZERO,
                Integer.MAX_VALUE);
        authenticator = new Authenticator(auth, Runnable::run, Clock.systemUTC(), new byte[16]);
        header = List.of("Basic " + ProxyUsers.basicToken(ProxyUsers.ALICE, ProxyUsers.ALICE_PASSWORD));
        wrong = List.of("Basic " + ProxyUsers.basicToken(ProxyUsers.ALICE, ProxyUsers.WRONG_PASSWORD));
        if (authenticator.authenticate(header, "127.0.0.1").join().denial() != null) {
            throw new IllegalStateException("the benchmark user does not sign in");
        }
    }

    @Benchmark
    public AuthOutcome warmCacheHit() {
        return authenticator.authenticate(header, "127.0.0.1").join();
    }

    /** A miss (negativeTtl 0s): one bcrypt verification at the test file's cost 5; cost 10 is 32 times this. */
    @Benchmark
    public AuthOutcome coldBcrypt() {
        return authenticator.authenticate(wrong, "127.0.0.1").join();
    }
}
