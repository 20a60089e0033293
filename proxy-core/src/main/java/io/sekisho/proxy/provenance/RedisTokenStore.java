package io.sekisho.proxy.provenance;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.signin.SigninTokenHash;
import io.sekisho.policy.signin.SigninTokenStore.IssuedToken;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in token provenance in Valkey or Redis (6.2 or later: {@code GETDEL}), through Lettuce's
 * asynchronous API on its own threads, never an event loop of the proxy's.
 *
 * <ul>
 *   <li>Key: {@code sekisho:signin:} + hex HMAC-SHA256 under {@code cluster.tokenKey} of the
 *       token's SHA-256. The token itself never leaves the proxy, and without the key a value in
 *       the store cannot be matched to a token seen elsewhere.</li>
 *   <li>Value: {@code v1 <account> <issued ms> <expires ms>}, set with {@code PX} = the time
 *       left of the token's lifetime, so the store forgets it when AWS would refuse it.</li>
 *   <li>Redeem: {@code GETDEL}, atomic, so a token is used once across the whole group.</li>
 *   <li>Look up (an OAuth bearer token, presented until it expires): {@code GET}.</li>
 * </ul>
 *
 * <p>Fail closed, narrowly: while disconnected, commands are rejected at once (not queued) and
 * every command times out after {@link #COMMAND_TIMEOUT}; the callers deny only the sign-ins
 * that need an answer. The first connection is retried with backoff until it succeeds (start does
 * not wait for the store); after that Lettuce reconnects with the same backoff.
 */
public final class RedisTokenStore implements TokenStoreClient {
    static final String KEY_PREFIX = "sekisho:signin:";
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration BACKOFF_MIN = Duration.ofMillis(100);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(RedisTokenStore.class);

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final SecretKeySpec hmacKey;
    private final Clock clock;
    private final String where;
    private final ScheduledExecutorService retries;
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private volatile boolean closed;

    private RedisTokenStore(RedisURI uri, byte[] hmacKey, @Nullable TrustManagerFactory trust, Clock clock) {
        this.uri = uri;
        this.hmacKey = new SecretKeySpec(hmacKey, "HmacSHA256");
        this.clock = clock;
        this.where = (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
        Delay backoff = Delay.exponential(BACKOFF_MIN, BACKOFF_MAX, 2, TimeUnit.MILLISECONDS);
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(backoff).build();
        this.client = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT));
        if (trust != null) {
            // Only cluster.caCertificates; the host name is still checked (RedisURI verifyPeer FULL).
            options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(trust).build());
        }
        client.setOptions(options.build());
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sekisho-store-connect");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts connecting and returns at once.
     *
     * @param uri where the store is, with its credentials and TLS set
     * @param hmacKey {@code cluster.tokenKey}; copied, the caller clears its own
     * @param trust the roots of a {@code rediss://} store ({@code cluster.caCertificates}), or null
     *     for the JDK's default roots
     */
    public static RedisTokenStore start(RedisURI uri, byte[] hmacKey, @Nullable TrustManagerFactory trust,
            Clock clock) {
        RedisTokenStore s = new RedisTokenStore(uri, Arrays.copyOf(hmacKey, hmacKey.length), trust, clock);
        s.connect(BACKOFF_MIN.toMillis());
        return s;
    }

    private void connect(long nextDelayMs) {
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((c, err) -> {
            if (closed) {
                if (c != null) {
                    c.closeAsync();
                }
                return;
            }
            if (err != null) {
                long next = Math.min(nextDelayMs * 2, BACKOFF_MAX.toMillis());
                // The cause's class only: a message could repeat what the server was sent.
                log.warn("cluster.store {} unreachable ({}); sign-ins through this instance are denied until it"
                        + " answers; retrying in {} ms", where, rootCause(err).getClass().getSimpleName(), nextDelayMs);
                retries.schedule(() -> connect(next), nextDelayMs, TimeUnit.MILLISECONDS);
                return;
            }
            connection = c;
            log.info("cluster.store {} connected", where);
        });
    }

    @Override
    public CompletionStage<Void> record(SigninTokenHash token, IssuedToken issued) {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c == null) {
            return notConnected();
        }
        long ttl = Duration.between(clock.instant(), issued.expiresAt()).toMillis();
        if (ttl <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return c.async().set(key(token), value(issued), SetArgs.Builder.px(ttl)).thenApply(ok -> null);
    }

    @Override
    public CompletionStage<Optional<IssuedToken>> redeem(SigninTokenHash token) {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c == null) {
            return notConnected();
        }
        return c.async().getdel(key(token)).thenApply(v -> v == null ? Optional.empty() : parse(v));
    }

    @Override
    public CompletionStage<Optional<IssuedToken>> lookup(SigninTokenHash token) {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c == null) {
            return notConnected();
        }
        return c.async().get(key(token)).thenApply(v -> v == null ? Optional.empty() : parse(v));
    }

    @Override
    public boolean healthy() {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        return c != null && c.isOpen();
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** The store's key for a token: never the token, never its plain hash. */
    byte[] key(SigninTokenHash token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            byte[] h = mac.doFinal(token.hex().getBytes(StandardCharsets.US_ASCII));
            return (KEY_PREFIX + HexFormat.of().formatHex(h)).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            // Every Java platform provides HmacSHA256 (Mac javadoc); the key is never empty.
            throw new IllegalStateException(e);
        }
    }

    static byte[] value(IssuedToken t) {
        return ("v1 " + t.account() + " " + t.issuedAt().toEpochMilli() + " " + t.expiresAt().toEpochMilli())
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** An unreadable value is as good as unknown: the sign-in is refused (fail closed). */
    static Optional<IssuedToken> parse(byte[] v) {
        String[] f = new String(v, StandardCharsets.US_ASCII).split(" ");
        try {
            if (f.length == 4 && f[0].equals("v1") && f[1].matches("\\d{12}")) {
                return Optional.of(new IssuedToken(f[1], Instant.ofEpochMilli(Long.parseLong(f[2])),
                        Instant.ofEpochMilli(Long.parseLong(f[3]))));
            }
        } catch (IllegalArgumentException e) {
            // falls through: unreadable
        }
        return Optional.empty();
    }

    private static <T> CompletionStage<T> notConnected() {
        return CompletableFuture.failedFuture(new IllegalStateException("cluster.store not connected"));
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
