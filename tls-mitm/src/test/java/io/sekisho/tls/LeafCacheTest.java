package io.sekisho.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.sekisho.tls.TestPki.Issued;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LeafCacheTest {

    private final MutableClock clock = new MutableClock(TestPki.NOW);
    private final ExecutorService mintExecutor = LeafCache.newMintExecutor(2);
    private final CountingIssuer issuer = new CountingIssuer(realIssuer());

    @AfterEach
    void stopExecutor() {
        mintExecutor.shutdownNow();
    }

    @Test
    void oneHundredConcurrentRequestsForANewHostMintOnce() throws Exception {
        LeafCache cache = new LeafCache(issuer, mintExecutor, 100, clock);
        issuer.holdUntilReleased();
        int callers = 100;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<ServerTls>> futures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread thread = new Thread(() -> {
                await(start);
                CompletableFuture<ServerTls> future = cache.serverTlsFor("fresh.s3.amazonaws.com");
                synchronized (futures) {
                    futures.add(future);
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        // Every caller asked while the one mint was still held: none of them could have minted again.
        issuer.release();
        assertThat(futures).hasSize(callers);
        ServerTls first = futures.get(0).get(30, TimeUnit.SECONDS);
        for (CompletableFuture<ServerTls> future : futures) {
            assertThat(future.get(30, TimeUnit.SECONDS)).isSameAs(first);
        }
        assertThat(issuer.calls.get()).isEqualTo(1);
        assertThat(cache.mintCount()).isEqualTo(1);
    }

    @Test
    void mintingNeverRunsOnTheCallingThread() throws Exception {
        LeafCache cache = new LeafCache(issuer, mintExecutor, 10, clock);
        issuer.holdUntilReleased();
        CompletableFuture<ServerTls> future = cache.serverTlsFor("a.example");
        assertThat(future).as("returned before the mint finished").isNotDone();
        issuer.release();
        future.get(30, TimeUnit.SECONDS);
        assertThat(issuer.threads).doesNotContain(Thread.currentThread());
        assertThat(issuer.threads).allSatisfy(t -> assertThat(t.getName()).startsWith("sekisho-mint-"));
    }

    @Test
    void anEventLoopCallerIsNeverTheMintingThread() throws Exception {
        LeafCache cache = new LeafCache(issuer, mintExecutor, 10, clock);
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            Thread loopThread = loop.submit(Thread::currentThread).get();
            CompletableFuture<ServerTls> future = loop.submit(() -> cache.serverTlsFor("b.example")).get();
            future.get(30, TimeUnit.SECONDS);
            assertThat(issuer.threads).isNotEmpty().doesNotContain(loopThread)
                    .allSatisfy(t -> assertThat(t.getName()).startsWith("sekisho-mint-"));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void repeatedRequestsAreServedFromTheCache() throws Exception {
        LeafCache cache = new LeafCache(issuer, mintExecutor, 10, clock);
        ServerTls first = cache.serverTlsFor("c.example").get(30, TimeUnit.SECONDS);
        ServerTls again = cache.serverTlsFor("C.Example").get(30, TimeUnit.SECONDS);
        assertThat(again).isSameAs(first);
        assertThat(issuer.calls.get()).isEqualTo(1);
    }

    @Test
    void aFailedMintIsNotCached() throws Exception {
        LeafCache cache = new LeafCache(issuer, mintExecutor, 10, clock);
        issuer.failNext();
        CompletableFuture<ServerTls> failed = cache.serverTlsFor("d.example");
        assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("injected failure");
        assertThat(cache.size()).isZero();
        ServerTls retried = cache.serverTlsFor("d.example").get(30, TimeUnit.SECONDS);
        assertThat(retried.host()).isEqualTo("d.example");
        assertThat(issuer.calls.get()).isEqualTo(2);
    }

    @Test
    void aRejectedMintFailsAndIsNotCached() {
        LeafCache cache = new LeafCache(issuer, runnable -> {
            throw new RejectedExecutionException("queue full");
        }, 10, clock);
        CompletableFuture<ServerTls> future = cache.serverTlsFor("e.example");
        assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).hasRootCauseMessage("queue full");
        assertThat(cache.size()).isZero();
    }

    @Test
    void anEntryIsReMintedWellBeforeItsLeafExpires() throws Exception {
        LeafCache cache = new LeafCache(issuer, mintExecutor, 10, clock);
        ServerTls first = cache.serverTlsFor("f.example").get(30, TimeUnit.SECONDS);
        Instant refreshAt = LeafCache.refreshAt(first.certificate(), clock.instant());
        // 7 days + the 1 h backdate, a quarter of it ahead of notAfter: days before any client could mind.
        assertThat(refreshAt).isEqualTo(first.notAfter().minus(Duration.ofDays(7).plusHours(1).dividedBy(4)));

        clock.set(refreshAt.minusSeconds(1));
        assertThat(cache.serverTlsFor("f.example").get(30, TimeUnit.SECONDS)).isSameAs(first);
        clock.set(refreshAt);
        ServerTls second = cache.serverTlsFor("f.example").get(30, TimeUnit.SECONDS);
        assertThat(second).isNotSameAs(first);
        assertThat(second.notAfter()).isAfter(first.notAfter());
        assertThat(issuer.calls.get()).isEqualTo(2);
    }

    @Test
    void theRefreshMarginIsAtLeastAnHour() {
        Issued leaf = TestPki.spec("CN=x").validity(TestPki.NOW, TestPki.NOW.plus(Duration.ofHours(3))).issue();
        assertThat(LeafCache.refreshAt(leaf.certificate(), TestPki.NOW))
                .isEqualTo(TestPki.NOW.plus(Duration.ofHours(2)));
    }

    @Test
    void aShortLivedLeafIsStillKeptForHalfTheTimeItHasLeft() {
        // tls.leaf.lifetime 1h: notBefore now-1h, notAfter now+1h.
        Issued leaf = TestPki.spec("CN=x")
                .validity(TestPki.NOW.minus(Duration.ofHours(1)), TestPki.NOW.plus(Duration.ofHours(1))).issue();
        assertThat(LeafCache.refreshAt(leaf.certificate(), TestPki.NOW))
                .isEqualTo(TestPki.NOW.plus(Duration.ofMinutes(30)));
    }

    @Test
    void staysBoundedAndKeepsTheRecentlyUsed() throws Exception {
        LeafCache cache = new LeafCache(issuer, mintExecutor, 8, clock);
        for (int i = 0; i < 8; i++) {
            tick();
            cache.serverTlsFor("h" + i + ".example").get(30, TimeUnit.SECONDS);
        }
        tick();
        cache.serverTlsFor("h0.example").get(30, TimeUnit.SECONDS);
        for (int i = 8; i < 20; i++) {
            tick();
            cache.serverTlsFor("h" + i + ".example").get(30, TimeUnit.SECONDS);
            assertThat(cache.size()).isLessThanOrEqualTo(8);
        }
        int minted = issuer.calls.get();
        assertThat(minted).isEqualTo(20);
        tick();
        cache.serverTlsFor("h19.example").get(30, TimeUnit.SECONDS);
        assertThat(issuer.calls.get()).as("the newest is still cached").isEqualTo(minted);
        tick();
        cache.serverTlsFor("h1.example").get(30, TimeUnit.SECONDS);
        assertThat(issuer.calls.get()).as("an old one was evicted").isEqualTo(minted + 1);
    }

    @Test
    void theLeastRecentlyUsedGoesFirst() throws Exception {
        LeafCache cache = new LeafCache(issuer, mintExecutor, 8, clock);
        for (int i = 0; i < 8; i++) {
            tick();
            cache.serverTlsFor("h" + i + ".example").get(30, TimeUnit.SECONDS);
        }
        tick();
        cache.serverTlsFor("h0.example").get(30, TimeUnit.SECONDS);
        tick();
        cache.serverTlsFor("h8.example").get(30, TimeUnit.SECONDS);
        int minted = issuer.calls.get();
        tick();
        cache.serverTlsFor("h0.example").get(30, TimeUnit.SECONDS);
        assertThat(issuer.calls.get()).as("h0 was used recently and kept").isEqualTo(minted);
        tick();
        cache.serverTlsFor("h1.example").get(30, TimeUnit.SECONDS);
        assertThat(issuer.calls.get()).as("h1 was the least recently used and evicted").isEqualTo(minted + 1);
    }

    private void tick() {
        clock.advance(Duration.ofSeconds(1));
    }

    private LeafCache.Issuer realIssuer() {
        Issued root = TestPki.root("Cache Test Root");
        try {
            CertificateAuthority ca = CertificateAuthority.of(List.of(root.certificate()), root.privateKey(), clock);
            return LeafCache.minting(new LeafMinter(ca, clock, new SecureRandom()), TlsProvider.preferred());
        } catch (CaException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Counts calls and the threads they ran on; can hold a mint or fail one on request. */
    private static final class CountingIssuer implements LeafCache.Issuer {
        final AtomicInteger calls = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        private final LeafCache.Issuer delegate;
        private volatile CountDownLatch hold = new CountDownLatch(0);
        private volatile boolean failNext;

        CountingIssuer(LeafCache.Issuer delegate) {
            this.delegate = delegate;
        }

        void holdUntilReleased() {
            hold = new CountDownLatch(1);
        }

        void release() {
            hold.countDown();
        }

        void failNext() {
            failNext = true;
        }

        @Override
        public ServerTls issue(String host) throws Exception {
            calls.incrementAndGet();
            threads.add(Thread.currentThread());
            await(hold);
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("injected failure");
            }
            return delegate.issue(host);
        }
    }
}
