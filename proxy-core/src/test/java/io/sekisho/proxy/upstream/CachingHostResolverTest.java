package io.sekisho.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.sekisho.policy.HostName;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingHostResolverTest {
    private static final HostName S3 = HostName.parse("s3.us-east-1.amazonaws.com");
    private static final Duration TTL = Duration.ofSeconds(30);

    /** A resolver whose answers the test completes by hand, and which counts its calls. */
    private static final class Pending implements HostResolver {
        final List<CompletableFuture<List<InetAddress>>> calls = new ArrayList<>();

        @Override
        public CompletableFuture<List<InetAddress>> resolve(HostName host) {
            CompletableFuture<List<InetAddress>> f = new CompletableFuture<>();
            calls.add(f);
            return f;
        }
    }

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;

    private static List<InetAddress> addresses(String... ips) throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>();
        for (String ip : ips) {
            out.add(InetAddress.getByName(ip));
        }
        return out;
    }

    @Test
    void aNameAskedAgainIsAnsweredAtOnceWithoutTheDelegate() throws Exception {
        Pending dns = new Pending();
        CachingHostResolver r = new CachingHostResolver(dns, TTL, 100, ticker);
        CompletableFuture<List<InetAddress>> first = r.resolve(S3);
        assertThat(first).isNotDone();
        dns.calls.get(0).complete(addresses("52.216.1.1", "52.216.1.2"));

        CompletableFuture<List<InetAddress>> again = r.resolve(S3);
        assertThat(again).isDone();
        assertThat(again.get()).isEqualTo(addresses("52.216.1.1", "52.216.1.2"));
        assertThat(dns.calls).hasSize(1);
        assertThat(r.misses()).isEqualTo(1);
        assertThat(r.hits()).isEqualTo(1);
    }

    @Test
    void anAnswerExpiresAfterTheTtlAndTheDelegateIsAskedAgain() throws Exception {
        Pending dns = new Pending();
        CachingHostResolver r = new CachingHostResolver(dns, TTL, 100, ticker);
        r.resolve(S3);
        dns.calls.get(0).complete(addresses("52.216.1.1"));

        nanos.addAndGet(TTL.toNanos() - 1);
        assertThat(r.resolve(S3)).isDone();
        assertThat(dns.calls).hasSize(1);

        nanos.addAndGet(1);
        CompletableFuture<List<InetAddress>> after = r.resolve(S3);
        assertThat(after).isNotDone();
        assertThat(dns.calls).hasSize(2);
        dns.calls.get(1).complete(addresses("52.216.9.9"));
        assertThat(after.get()).isEqualTo(addresses("52.216.9.9"));
        assertThat(r.resolve(S3).get()).isEqualTo(addresses("52.216.9.9"));
    }

    @Test
    void aFailureIsNotKept() throws Exception {
        Pending dns = new Pending();
        CachingHostResolver r = new CachingHostResolver(dns, TTL, 100, ticker);
        CompletableFuture<List<InetAddress>> first = r.resolve(S3);
        dns.calls.get(0).completeExceptionally(new UnknownHostException("s3.us-east-1.amazonaws.com"));
        assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownHostException.class);

        CompletableFuture<List<InetAddress>> again = r.resolve(S3);
        assertThat(dns.calls).hasSize(2);
        dns.calls.get(1).complete(addresses("52.216.1.1"));
        assertThat(again.get()).isEqualTo(addresses("52.216.1.1"));
    }

    @Test
    void overlappingLookupsOfOneNameShareOneCall() throws Exception {
        Pending dns = new Pending();
        CachingHostResolver r = new CachingHostResolver(dns, TTL, 100, ticker);
        CompletableFuture<List<InetAddress>> a = r.resolve(S3);
        CompletableFuture<List<InetAddress>> b = r.resolve(S3);
        CompletableFuture<List<InetAddress>> other = r.resolve(HostName.parse("sts.amazonaws.com"));
        assertThat(dns.calls).hasSize(2);
        dns.calls.get(0).complete(addresses("52.216.1.1"));
        assertThat(a.get()).isEqualTo(b.get());
        assertThat(other).isNotDone();
        assertThat(r.misses()).as("one lookup per name").isEqualTo(2);
        assertThat(r.hits()).as("the second ask joined the first").isEqualTo(1);
    }

    @Test
    void ipLiteralsGoToTheDelegateAndAreNotKept() throws Exception {
        Pending dns = new Pending();
        CachingHostResolver r = new CachingHostResolver(dns, TTL, 100, ticker);
        r.resolve(HostName.parse("203.0.113.5"));
        r.resolve(HostName.parse("203.0.113.5"));
        assertThat(dns.calls).hasSize(2);
        assertThat(r.size()).isZero();
        assertThat(r.hits() + r.misses()).as("literals are not lookups").isZero();
    }

    @Test
    void theNumberOfNamesKeptIsBounded() throws Exception {
        HostResolver answering = host -> CompletableFuture.completedFuture(List.of(InetAddress.getLoopbackAddress()));
        CachingHostResolver r = new CachingHostResolver(answering, TTL, 50, ticker);
        for (int i = 0; i < 500; i++) {
            r.resolve(HostName.parse("h" + i + ".example.com")).get();
        }
        assertThat(r.size()).isLessThanOrEqualTo(50);
    }

    @Test
    void withTheSystemResolverTheSecondLookupCompletesOnTheCallersThread() throws Exception {
        // The real resolver on its own threads, /etc/hosts's "localhost".
        try (ExecutorHostResolver system = new ExecutorHostResolver(1, 4)) {
            CachingHostResolver r = new CachingHostResolver(system, TTL, 100, Ticker.systemTicker());
            List<InetAddress> first = r.resolve(HostName.parse("localhost")).get(10, TimeUnit.SECONDS);
            assertThat(first).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
            CompletableFuture<List<InetAddress>> again = r.resolve(HostName.parse("localhost"));
            assertThat(again).isDone();
            assertThat(again.get()).isEqualTo(first);
        }
    }

    @Test
    void theTtlFollowsTheJvmsOwnSettings() {
        assertThat(CachingHostResolver.ttlOf(null, null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(CachingHostResolver.ttlOf("5", "60")).isEqualTo(Duration.ofSeconds(5));
        assertThat(CachingHostResolver.ttlOf(null, "60")).isEqualTo(Duration.ofSeconds(60));
        assertThat(CachingHostResolver.ttlOf("not a number", "60")).isEqualTo(Duration.ofSeconds(60));
        assertThat(CachingHostResolver.ttlOf("0", null)).isZero();
        assertThat(CachingHostResolver.ttlOf("-1", null)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void noTtlMeansNoCache() {
        HostResolver dns = new Pending();
        assertThatThrownBy(() -> new CachingHostResolver(dns, Duration.ZERO, 10, ticker))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
