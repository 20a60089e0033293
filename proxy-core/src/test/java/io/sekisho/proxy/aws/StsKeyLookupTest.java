package io.sekisho.proxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.FakeResponse;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.testing.MutableClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@link StsKeyLookup} with the real SDK client ({@link StsAccessKeyInfo}) against an in-process
 * STS on 127.0.0.1 that answers GetAccessKeyInfo from a table and records every call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StsKeyLookupTest {
    /** Old-format keys (5th character A–P): never decodable offline, so only STS can name the account. */
    static final String OLD_KEY = AwsIdentities.OLD_FORMAT.accessKeyId();
    static final String OTHER_OLD_KEY = "AKIAI44QH8DHBEXAMPLE";
    static final String UNKNOWN_KEY = "AKIAJUNKNOWNKEY00000";
    static final Map<String, String> ACCOUNTS = Map.of(OLD_KEY, "111122223333", OTHER_OLD_KEY, "999988887777");
    /** Generous: the SDK's first call in a JVM loads its marshallers and endpoint rules. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
    static final Duration TTL = Duration.ofMinutes(10);

    @TempDir
    static Path tmp;
    static FakeAwsOrigin sts;

    final MutableClock clock = new MutableClock();
    final List<StsKeyLookup> opened = new ArrayList<>();

    @BeforeAll
    static void startSts() {
        sts = FakeAwsOrigin.start(TestPki.create(tmp.resolve("pki")));
        sts.override(r -> "GetAccessKeyInfo".equals(r.parameters().get("Action")), StsKeyLookupTest::getAccessKeyInfo);
    }

    /** The STS answer shape (STS API reference, GetAccessKeyInfo); an unknown key gets a Sender error. */
    static FakeResponse getAccessKeyInfo(RecordedRequest r) {
        String account = ACCOUNTS.get(r.parameters().get("AccessKeyId"));
        if (account == null) {
            return FakeResponse.xml(400, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                    + "<Type>Sender</Type><Code>InvalidParameterValue</Code><Message>unknown key</Message></Error>"
                    + "<RequestId>r-1</RequestId></ErrorResponse>");
        }
        return FakeResponse.xml(200, "<GetAccessKeyInfoResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<GetAccessKeyInfoResult><Account>" + account + "</Account></GetAccessKeyInfoResult>"
                + "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></GetAccessKeyInfoResponse>");
    }

    @AfterAll
    static void stopSts() {
        if (sts != null) {
            sts.close();
        }
    }

    @BeforeEach
    void reset() {
        sts.clearRequests();
        sts.fault(FakeAwsOrigin.Fault.NONE);
    }

    @AfterEach
    void close() {
        opened.forEach(StsKeyLookup::close);
        sts.fault(FakeAwsOrigin.Fault.NONE);
    }

    StsKeyLookup lookup(ExecutorService executor, int maxEntries) {
        return lookup(executor, maxEntries, TIMEOUT);
    }

    StsKeyLookup lookup(ExecutorService executor, int maxEntries, Duration timeout) {
        AwsIdentities.Identity proxyIdentity = AwsIdentities.longTerm(AwsIdentities.CORPORATE);
        StsAccessKeyInfo client = StsAccessKeyInfo.create("us-east-1", timeout, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(proxyIdentity.accessKeyId(), proxyIdentity.secretAccessKey())),
                URI.create("http://127.0.0.1:" + sts.httpPort()));
        StsKeyLookup l = new StsKeyLookup(client, clock, TTL, maxEntries, executor);
        opened.add(l);
        return l;
    }

    StsKeyLookup lookup() {
        return lookup(StsKeyLookup.newExecutor(), StsKeyLookup.DEFAULT_MAX_ENTRIES);
    }

    static List<RecordedRequest> calls() {
        return sts.requests().stream().filter(r -> "GetAccessKeyInfo".equals(r.parameters().get("Action"))).toList();
    }

    static Optional<String> get(CompletableFuture<Optional<String>> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void anOldKeyIsResolvedByStsSignedWithTheProxysOwnCredentials() throws Exception {
        StsKeyLookup l = lookup();
        assertThat(l.cached(OLD_KEY)).isEmpty();

        assertThat(get(l.lookup(OLD_KEY))).hasValue("111122223333");

        assertThat(calls()).singleElement().satisfies(r -> {
            assertThat(r.parameters()).containsEntry("AccessKeyId", OLD_KEY);
            assertThat(r.accessKeyId()).hasValue(AwsIdentities.longTerm(AwsIdentities.CORPORATE).accessKeyId());
            assertThat(r.signingService()).hasValue("sts");
        });
        assertThat(l.cached(OLD_KEY)).hasValue("111122223333");
    }

    @Test
    void aCachedAnswerCostsNoSecondCallUntilItExpires() throws Exception {
        StsKeyLookup l = lookup();
        get(l.lookup(OLD_KEY));

        assertThat(get(l.lookup(OLD_KEY))).hasValue("111122223333");
        clock.advance(TTL.minusSeconds(1));
        assertThat(get(l.lookup(OLD_KEY))).hasValue("111122223333");
        assertThat(calls()).hasSize(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(l.cached(OLD_KEY)).isEmpty();
        assertThat(get(l.lookup(OLD_KEY))).hasValue("111122223333");
        assertThat(calls()).hasSize(2);
    }

    @Test
    void anStsErrorIsEmptyAndRememberedForAShorterTime() throws Exception {
        StsKeyLookup l = lookup();

        assertThat(get(l.lookup(UNKNOWN_KEY))).isEmpty();
        assertThat(get(l.lookup(UNKNOWN_KEY))).isEmpty();
        assertThat(calls()).hasSize(1);
        assertThat(l.cached(UNKNOWN_KEY)).isEmpty();

        clock.advance(StsKeyLookup.MAX_NEGATIVE_TTL.plusSeconds(1));
        assertThat(get(l.lookup(UNKNOWN_KEY))).isEmpty();
        assertThat(calls()).hasSize(2);
    }

    @Test
    void anUnansweredCallTimesOutToEmptyAndIsRememberedAsAFailure() throws Exception {
        sts.fault(FakeAwsOrigin.Fault.NO_RESPONSE);
        StsKeyLookup l = lookup(StsKeyLookup.newExecutor(), StsKeyLookup.DEFAULT_MAX_ENTRIES, SHORT_TIMEOUT);

        assertThat(get(l.lookup(OLD_KEY))).isEmpty();
        int attempts = calls().size();
        assertThat(attempts).isPositive();

        sts.fault(FakeAwsOrigin.Fault.NONE);
        assertThat(get(l.lookup(OLD_KEY))).isEmpty();
        assertThat(calls()).hasSize(attempts);
    }

    @Test
    void concurrentLookupsOfOneKeyShareOneCall() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        single.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        StsKeyLookup l = lookup(single, StsKeyLookup.DEFAULT_MAX_ENTRIES);
        int callers = 8;
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            CyclicBarrier together = new CyclicBarrier(callers);
            List<Future<CompletableFuture<Optional<String>>>> asked = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                asked.add(threads.submit(() -> {
                    together.await();
                    return l.lookup(OLD_KEY);
                }));
            }
            List<CompletableFuture<Optional<String>>> futures = new ArrayList<>();
            for (Future<CompletableFuture<Optional<String>>> f : asked) {
                futures.add(f.get(10, TimeUnit.SECONDS));
            }
            assertThat(futures).allSatisfy(f -> assertThat(f).isSameAs(futures.get(0)));
            assertThat(futures.get(0)).isNotDone();

            release.countDown();
            for (CompletableFuture<Optional<String>> f : futures) {
                assertThat(get(f)).hasValue("111122223333");
            }
            assertThat(calls()).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aMalformedKeyIsNeverSentToSts() throws Exception {
        StsKeyLookup l = lookup();
        for (String bad : new String[] {"", "AKIA", "akiaiosfodnn7example", "AKIAIOSFODNN7EXAMP/E", "AKIA IOSFODNN7EXAMPLE"}) {
            assertThat(get(l.lookup(bad))).as(bad).isEmpty();
        }
        assertThat(calls()).isEmpty();
    }

    @Test
    void theCacheIsBounded() throws Exception {
        StsKeyLookup l = lookup(StsKeyLookup.newExecutor(), 2);
        get(l.lookup(OLD_KEY));
        clock.advance(Duration.ofSeconds(1));
        get(l.lookup(OTHER_OLD_KEY));
        clock.advance(Duration.ofSeconds(1));
        get(l.lookup(UNKNOWN_KEY));

        // Full: the entry closest to expiry (the first answer) made room for the failure.
        assertThat(l.size()).isEqualTo(2);
        assertThat(l.cached(OLD_KEY)).isEmpty();
        assertThat(l.cached(OTHER_OLD_KEY)).hasValue("999988887777");
    }

    @Test
    void logsNameTheKeyMaskedOnly() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(StsKeyLookup.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            get(lookup().lookup(UNKNOWN_KEY));
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).contains("AKIA\u20260000").doesNotContain(UNKNOWN_KEY);
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void aFailedWarmUpIsLoggedAndLookupsStillWork() throws Exception {
        CountDownLatch warmedUp = new CountDownLatch(1);
        AccessKeyInfo noCredentialsYet = new AccessKeyInfo() {
            @Override
            public Optional<String> accountOf(String id) {
                return Optional.of("111122223333");
            }

            @Override
            public void warmUp() {
                warmedUp.countDown();
                throw new IllegalStateException("no credentials");
            }
        };
        StsKeyLookup l = new StsKeyLookup(noCredentialsYet, clock, TTL, 10, StsKeyLookup.newExecutor());
        opened.add(l);

        l.warmUp();

        assertThat(warmedUp.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(get(l.lookup(OLD_KEY))).hasValue("111122223333");
    }

    @Test
    void masking() {
        assertThat(AccessKeyIds.mask("AKIAIOSFODNN7EXAMPLE")).isEqualTo("AKIA\u2026MPLE");
        assertThat(AccessKeyIds.mask("SHORT")).isEqualTo("****");
        assertThat(AccessKeyIds.mask(null)).isEqualTo("****");
    }
}
