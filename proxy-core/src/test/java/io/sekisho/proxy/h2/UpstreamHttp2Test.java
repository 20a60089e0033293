package io.sekisho.proxy.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.sekisho.config.SekishoConfig;
import io.sekisho.e2e.TestPki;
import io.sekisho.policy.BodyNeed;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream HTTP/2 (issue 16 point 2): a client that speaks h2 to an intercepting Sekisho reaches
 * an origin that offers h2 over h2, each stream on the shared upstream connection of its event
 * loop, decided and audited like any request; an origin that offers only http/1.1 (or
 * {@code tls.upstreamHttp2: false}) is spoken to over HTTP/1.1. Flow control holds end to end both
 * ways (a client that does not read stops the origin's writes; an origin that does not read stops
 * the client's upload), and an origin's RST_STREAM, GOAWAY or malformed header block fails only
 * the stream it concerns, with a 502.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UpstreamHttp2Test {
    private static final String H2_HOST = "h2.origin.sekisho.test";
    private static final String H1_HOST = "h1.origin.sekisho.test";
    private static final long BIG = 32L << 20;
    /**
     * The download's size: smaller, because the in-process origin's HTTP/2 sends slowly (a few
     * hundred KB/s to curl without the proxy too; its HTTP/1.1 is fast).
     */
    private static final long DOWNLOAD = 4L << 20;
    /** What may wait between a stalled reader and the origin: windows and socket buffers, far below BIG. */
    private static final long BOUND = 4L << 20;
    /** The same for the download: far below DOWNLOAD. */
    private static final long DOWNLOAD_BOUND = 1L << 20;

    @TempDir
    static Path tmp;
    static TestPki pki;
    static H2Origin h2;
    static H2Origin h1;
    static ProxyCa ca;
    static TestPolicy judging;
    static ProxyFixture proxy;
    static ProxyFixture judgingProxy;
    static ProxyFixture noUpstreamH2;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(tmp.resolve("origin-pki"));
        h2 = new H2Origin(pki, H2_HOST, true);
        h1 = new H2Origin(pki, H1_HOST, false);
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        proxy = ProxyFixture.start(config().build(), TestPolicy.allowing("*").intercepting(true)
                .denyRequestsWhere(f -> f.path().startsWith("/denied")));
        judging = TestPolicy.allowing("*").intercepting(true).inspectResponses(5).inspectBodies(BodyNeed.whole(1024));
        judgingProxy = ProxyFixture.start(config().build(), judging);
        noUpstreamH2 = ProxyFixture.start(config()
                .tls(new SekishoConfig.Tls(ca.pem(), ca.key(), null, null, "ec-p256", Duration.ofDays(7), 1000, true,
                        false))
                .build(), TestPolicy.allowing("*").intercepting(true));
    }

    private static TestConfigs config() {
        return TestConfigs.builder()
                .resolve(H2_HOST, h2.port())
                .resolve(H1_HOST, h1.port())
                .interceptWith(ca.pem(), ca.key())
                .trust(pki.caPem());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        judgingProxy.close();
        noUpstreamH2.close();
        h2.close();
        h1.close();
    }

    private static Curl.Result curl(ProxyFixture via, String... args) {
        List<String> all = new ArrayList<>(List.of("--http2", "--cacert", ca.pem().toString()));
        all.addAll(List.of(args));
        return Curl.viaProxy(via.url(), all.toArray(String[]::new));
    }

    @Test
    void anOriginThatOffersH2IsSpokenToOverH2AndEachStreamIsAudited() {
        Curl.Result r = curl(proxy, "-v", "https://" + H2_HOST + "/one", "https://" + H2_HOST + "/two");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("using HTTP/2");
        assertThat(r.body()).contains("hello over HTTP/2");
        for (String p : List.of("/one", "/two")) {
            assertThat(h2.seenAt(p)).extracting(H2Origin.Seen::protocol).containsExactly("HTTP/2");
            assertThat(proxy.audit().await(l -> p.equals(l.get("path")), Duration.ofSeconds(10)))
                    .containsEntry("verdict", "ALLOW").containsEntry("host", H2_HOST);
        }
        assertThat(h2.seenAt("/one").get(0).connection()).isEqualTo(h2.seenAt("/two").get(0).connection());
    }

    @Test
    void anOriginThatOffersOnlyHttp11IsSpokenToOverHttp11() {
        Curl.Result r = curl(proxy, "-v", "https://" + H1_HOST + "/h1-a", "https://" + H1_HOST + "/h1-b");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("using HTTP/2");
        assertThat(r.body()).contains("hello over HTTP/1.1").doesNotContain("HTTP/2");
        assertThat(h1.seenAt("/h1-a")).extracting(H2Origin.Seen::protocol).containsExactly("HTTP/1.1");
        assertThat(h1.seenAt("/h1-b")).extracting(H2Origin.Seen::protocol).containsExactly("HTTP/1.1");
    }

    @Test
    void withUpstreamHttp2OffAnH2OriginIsSpokenToOverHttp11() {
        Curl.Result r = curl(noUpstreamH2, "https://" + H2_HOST + "/switched-off");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(h2.seenAt("/switched-off")).extracting(H2Origin.Seen::protocol).containsExactly("HTTP/1.1");
    }

    @Test
    void concurrentStreamsShareOneUpstreamConnection() {
        int n = 8;
        h2.barrier = n;
        List<String> args = new ArrayList<>(List.of("-Z", "--parallel-max", Integer.toString(n),
                "-w", "%{http_code}\\n"));
        for (int i = 0; i < n; i++) {
            args.addAll(List.of("-o", "/dev/null", "https://" + H2_HOST + "/barrier?i=" + i));
        }
        Curl.Result r = curl(proxy, args.toArray(String[]::new));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<H2Origin.Seen> seen = h2.seenAt("/barrier");
        assertThat(seen).hasSize(n).extracting(H2Origin.Seen::protocol).containsOnly("HTTP/2");
        assertThat(seen.stream().map(H2Origin.Seen::connection).distinct()).hasSize(1);
        // All n were open at once on it: the barrier answers none before the n-th arrives.
        assertThat(h2.mostOpenOn(seen.get(0).connection())).isGreaterThanOrEqualTo(n);
    }

    @Test
    void clientConnectionsShareAtMostOneUpstreamConnectionPerEventLoop() throws Exception {
        int clients = 3;
        h2.barrier = 2 * clients;
        List<CompletableFuture<Curl.Result>> runs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String base = "https://" + H2_HOST + "/barrier2?c=" + c;
            runs.add(CompletableFuture.supplyAsync(() -> curl(proxy, "-Z", "-o", "/dev/null", base + "&i=0",
                    "-o", "/dev/null", base + "&i=1")));
        }
        for (CompletableFuture<Curl.Result> run : runs) {
            Curl.Result r = run.get(60, TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
        }
        List<H2Origin.Seen> seen = h2.seenAt("/barrier2");
        assertThat(seen).hasSize(2 * clients).extracting(H2Origin.Seen::protocol).containsOnly("HTTP/2");
        long connections = seen.stream().map(H2Origin.Seen::connection).distinct().count();
        System.out.println("upstream h2: " + (2 * clients) + " streams from " + clients + " client connections on "
                + connections + " upstream connections");
        // The proxy under test runs two event loops (ProxyFixture): one shared connection each at most.
        assertThat(connections).isBetween(1L, 2L);
    }

    @Test
    void aDeniedStreamNeverReachesTheOrigin() {
        Curl.Result r = curl(proxy, "-v", "https://" + H2_HOST + "/denied/x", "https://" + H2_HOST + "/after-deny");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("HTTP/2 403");
        assertThat(h2.seenAt("/denied/x")).isEmpty();
        assertThat(h2.seenAt("/after-deny")).extracting(H2Origin.Seen::protocol).containsExactly("HTTP/2");
    }

    @Test
    void aResponseHeldForJudgementIsRelayedOnceJudged() {
        Curl.Result r = curl(judgingProxy, "https://" + H2_HOST + "/judged");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.body()).isEqualTo("hello over HTTP/2");
        assertThat(h2.seenAt("/judged")).extracting(H2Origin.Seen::protocol).containsExactly("HTTP/2");
        assertThat(judging.responsesSeen()).contains("200 hello");
    }

    @Test
    void aRequestBodyTheGateReadsIsHeldUntilDecidedAndThenReachesTheOrigin() {
        Curl.Result r = curl(judgingProxy, "-X", "PUT", "--data-binary", "judge this body", "https://" + H2_HOST + "/sink");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        CRC32 crc = new CRC32();
        crc.update("judge this body".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.body()).isEqualTo("got 15 " + crc.getValue());
        assertThat(judging.seen()).anySatisfy(s -> {
            assertThat(s.facts().path()).isEqualTo("/sink");
            assertThat(s.body()).isEqualTo("judge this body");
        });
        assertThat(h2.seenAt("/sink")).extracting(H2Origin.Seen::protocol).contains("HTTP/2");
    }

    @Test
    void trailersAreRelayed() {
        Curl.Result r = curl(proxy, "https://" + H2_HOST + "/trailers");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.body()).isEqualTo("with trailers");
        assertThat(r.headers()).contains("x-checksum: c0ffee");
    }

    @Test
    void aMalformedResponseHeaderGives502() {
        Curl.Result r = curl(proxy, "https://" + H2_HOST + "/nul");

        assertThat(r.status()).isEqualTo(502);
        assertThat(r.headers()).doesNotContain("x-smuggled");
        assertThat(proxy.audit().await(l -> "/nul".equals(l.get("path")), Duration.ofSeconds(10)))
                .containsEntry("reason", "UPSTREAM_PROTOCOL_ERROR");
    }

    @Test
    void anOriginResetFailsOnlyItsStream() throws Exception {
        try (RawH2Client c = failsBesideASlowStream("/reset")) {
            assertThat(c.ended()).isFalse();
        }
        assertThat(proxy.audit().await(l -> "/reset".equals(l.get("path")), Duration.ofSeconds(10)))
                .containsEntry("reason", "UPSTREAM_PROTOCOL_ERROR");
    }

    @Test
    void anOriginGoAwayFailsOnlyTheStreamItDidNotProcess() throws Exception {
        try (RawH2Client c = failsBesideASlowStream("/goaway")) {
            c.headers(5, get("/after-goaway"), true);
            assertThat(c.awaitStatus(5)).isEqualTo("200");
        }
        // No new stream goes on a connection after its GOAWAY.
        assertThat(h2.seenAt("/after-goaway").get(0).connection())
                .isNotEqualTo(h2.seenAt("/goaway").get(0).connection());
        assertThat(proxy.audit().await(l -> "/goaway".equals(l.get("path")), Duration.ofSeconds(10)))
                .containsEntry("reason", "UPSTREAM_PROTOCOL_ERROR");
    }

    /**
     * {@code /slow<path>} on stream 1, then {@code path} on stream 3 of the same client connection,
     * so on the same upstream connection, after stream 1 reached the origin: 3 gets a 502, 1 its 200.
     */
    private static RawH2Client failsBesideASlowStream(String path) throws Exception {
        h2.releaseSlow = new CountDownLatch(1);
        RawH2Client c = RawH2Client.open(proxy.port(), H2_HOST, ca.clientContext());
        String slow = "/slow" + path;
        c.headers(1, get(slow), true);
        awaitSeen(slow);
        c.headers(3, get(path), true);

        assertThat(c.awaitStatus(3)).isEqualTo("502");
        h2.releaseSlow.countDown();
        assertThat(c.awaitStatus(1)).isEqualTo("200");
        assertThat(h2.seenAt(path).get(0).connection()).isEqualTo(h2.seenAt(slow).get(0).connection());
        return c;
    }

    @Test
    void aClientThatDoesNotReadStopsTheOriginAndTheWholeBodyComesWhenItReads() throws Exception {
        h2.sent.set(0);
        try (RawH2Client c = RawH2Client.open(proxy.port(), H2_HOST, ca.clientContext())) {
            c.headers(1, get("/big?bytes=" + DOWNLOAD), true);
            // The client sends no WINDOW_UPDATE: the proxy may send it 64 KiB, so the origin stops.
            long stalled = settle(h2.sent::get);
            System.out.println("upstream h2: the origin's writes stalled after " + stalled + " of " + DOWNLOAD + " bytes");
            assertThat(stalled).isPositive().isLessThan(DOWNLOAD_BOUND);

            c.frame(0x8, 0, 0, increment(Integer.MAX_VALUE - 65_535));
            c.frame(0x8, 0, 1, increment(Integer.MAX_VALUE - 65_535));
            CRC32 got = new CRC32();
            long n = 0;
            boolean ended = false;
            while (!ended) {
                RawH2Client.Frame f = c.await(x -> (x.type() == RawH2Client.DATA && x.stream() == 1) || x.type() < 0
                        || x.type() == RawH2Client.RST_STREAM, Duration.ofSeconds(30));
                assertThat(f).isNotNull();
                assertThat(f.type()).isEqualTo(RawH2Client.DATA);
                got.update(f.payload());
                n += f.payload().length;
                ended = (f.flags() & RawH2Client.END_STREAM) != 0;
            }
            assertThat(n).isEqualTo(DOWNLOAD);
            CRC32 expected = new CRC32();
            byte[] chunk = new byte[1 << 16];
            for (long at = 0; at < DOWNLOAD; at += chunk.length) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = H2Origin.patternByte(at + i);
                }
                expected.update(chunk);
            }
            assertThat(got.getValue()).isEqualTo(expected.getValue());
        }
        assertThat(h2.seenAt("/big")).extracting(H2Origin.Seen::protocol).containsExactly("HTTP/2");
    }

    @Test
    void anOriginThatDoesNotReadStopsTheUploadAndTheWholeBodyArrivesWhenItReads() throws Exception {
        h2.uploaded.set(0);
        h2.pauseUploads();
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "100", "--http2", "--proxy", proxy.url(),
                "--cacert", ca.pem().toString(), "-T", "-", "https://" + H2_HOST + "/sink")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        AtomicLong taken = new AtomicLong();
        CRC32 crc = new CRC32();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream in = curl.getOutputStream()) {
                byte[] chunk = new byte[16 * 1024];
                for (long at = 0; at < BIG; at += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = H2Origin.patternByte(at + i);
                    }
                    in.write(chunk);
                    crc.update(chunk);
                    taken.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            // The origin reads nothing: curl stops taking the body once the windows and buffers are full.
            long stalled = settle(taken::get);
            System.out.println("upstream h2: the client's upload stalled after " + stalled + " of " + BIG
                    + " bytes, the origin read " + h2.uploaded.get());
            assertThat(stalled).isPositive().isLessThan(BOUND);
            assertThat(h2.uploaded.get()).isLessThan(BOUND);

            h2.resumeUploads();
            writer.get(60, TimeUnit.SECONDS);
            String out = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).isEqualTo("got " + BIG + " " + crc.getValue());
        } finally {
            h2.resumeUploads();
            curl.destroy();
        }
        assertThat(h2.seenAt("/sink")).extracting(H2Origin.Seen::protocol).containsOnly("HTTP/2");
    }

    /** A counter once it stopped moving for a second (it must have moved). */
    private static long settle(LongSupplier counter) throws InterruptedException {
        long last = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long now = counter.getAsLong();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
            Thread.sleep(1000);
        }
        return counter.getAsLong();
    }

    private static byte[] increment(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static Http2Headers get(String path) {
        return new DefaultHttp2Headers().method("GET").scheme("https").authority(H2_HOST).path(path);
    }

    private static void awaitSeen(String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (h2.seenAt(path).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(h2.seenAt(path)).as(path + " reached the origin").isNotEmpty();
    }
}
