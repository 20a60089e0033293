package io.sekisho.proxy.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sekisho.config.ClientAccess.Auth;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Proxy authentication for one {@code auth} configuration. Negotiate tokens go to the
 * {@link NegotiateAcceptor} on the executor (each token is single-use, so none is cached); a
 * failed one counts against the client address. Basic has a positive cache of verified
 * credentials ({@code auth.cache.ttl}), a negative cache of failed ones
 * ({@code auth.cache.negativeTtl}), throttling of failures per user and per client address, and
 * bcrypt verification on the bounded {@code executor}, never on the caller's event loop.
 *
 * <p>Cache keys are SHA-256 of a random per-process salt and the credential token, so the heap
 * holds no password, not even base64-encoded. A cached positive answer is checked before the
 * throttle, so that someone guessing a user's password does not lock out the user once signed in.
 */
public final class Authenticator {
    private final Auth config;
    private final @Nullable CredentialStore store;
    private final @Nullable NegotiateAcceptor negotiate;
    /** With {@code auth.basic.ldap}: where a Negotiate user's groups are looked up. */
    private final @Nullable LdapStore directory;
    private final Executor executor;
    private final Cache<String, Identity> verified;
    private final Cache<String, Boolean> failed;
    private final FailureThrottle throttle;
    /** Basic verifications running, by cache key. */
    private final ConcurrentHashMap<String, CompletableFuture<AuthOutcome>> inFlight = new ConcurrentHashMap<>();
    private final byte[] salt;

    /** @param salt random bytes, fixed for the process, mixed into the cache keys */
    public Authenticator(Auth config, Executor executor, Clock clock, byte[] salt) {
        this.config = Objects.requireNonNull(config);
        this.directory = config.ldap() == null ? null : new LdapStore(config.ldap());
        this.store = !config.schemes().contains("basic") ? null : directory != null ? directory
                : new HtpasswdStore(Objects.requireNonNull(config.htpasswd(), "auth.basic.htpasswd or ldap"));
        this.negotiate = config.negotiate() == null ? null : new NegotiateAcceptor(config.negotiate());
        this.executor = executor;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.verified = Caffeine.newBuilder().expireAfterWrite(config.cacheTtl()).maximumSize(100_000)
                .ticker(ticker).build();
        this.failed = Caffeine.newBuilder().expireAfterWrite(config.negativeCacheTtl()).maximumSize(100_000)
                .ticker(ticker).build();
        this.throttle = new FailureThrottle(config.maxFailuresPerMinute(), ticker);
        this.salt = salt.clone();
    }

    public Auth config() {
        return config;
    }

    /**
     * Authenticates a request whose {@code Proxy-Authorization} values are {@code values}, from
     * {@code clientAddress} (the IP address, without the port). Completes at once from the
     * caches; otherwise on the executor.
     */
    public CompletableFuture<AuthOutcome> authenticate(List<String> values, String clientAddress) {
        if (values.size() == 1 && NegotiateToken.names(values.get(0))) {
            return negotiate == null ? refused(Reason.AUTH_SCHEME_UNSUPPORTED)
                    : negotiate(NegotiateToken.parse(values.get(0)), negotiate, clientAddress);
        }
        if (store == null) {
            return refused(values.isEmpty() ? Reason.AUTH_REQUIRED
                    : values.size() > 1 ? Reason.AUTH_MALFORMED : Reason.AUTH_SCHEME_UNSUPPORTED);
        }
        return basic(values, clientAddress, store);
    }

    private CompletableFuture<AuthOutcome> negotiate(NegotiateToken t, NegotiateAcceptor acceptor,
            String clientAddress) {
        Reason malformed = t.refusal();
        if (malformed != null) {
            return refused(malformed);
        }
        if (throttle.addressThrottled(clientAddress)) {
            return refused(Reason.AUTH_THROTTLED);
        }
        return offload(() -> {
            AuthOutcome o = acceptor.accept(t.token());
            Decision d = o.denial();
            if (d != null && d.reason() != Reason.AUTH_KERBEROS_KEY_UNAVAILABLE) {
                throttle.addressFailed(clientAddress);
            }
            return d == null && directory != null ? withGroups(o.identity(), directory) : o;
        });
    }

    /** The directory's groups of a Kerberos user; a directory that cannot answer is a denial, as for Basic. */
    private static AuthOutcome withGroups(Identity who, LdapStore directory) {
        List<String> groups = directory.groupsOf(who.user());
        return groups == null ? AuthOutcome.denied(Reason.AUTH_BACKEND_UNAVAILABLE)
                : AuthOutcome.allowed(new Identity(who.user(), groups, who.scheme()));
    }

    private CompletableFuture<AuthOutcome> offload(Supplier<AuthOutcome> verification) {
        try {
            return CompletableFuture.supplyAsync(verification, executor);
        } catch (RejectedExecutionException e) {
            // The verification queue is full: fail closed, with its own reason.
            return refused(Reason.AUTH_BACKEND_UNAVAILABLE);
        }
    }

    private static CompletableFuture<AuthOutcome> refused(Reason r) {
        return CompletableFuture.completedFuture(AuthOutcome.denied(r));
    }

    private CompletableFuture<AuthOutcome> basic(List<String> values, String clientAddress, CredentialStore store) {
        if (values.size() == 1 && values.get(0).length() <= BasicCredentials.MAX_HEADER_CHARS) {
            Identity cached = verified.getIfPresent(key(values.get(0)));
            if (cached != null) {
                return CompletableFuture.completedFuture(AuthOutcome.allowed(cached));
            }
        }
        BasicCredentials c = BasicCredentials.parse(values);
        if (c.refusal() != null) {
            return CompletableFuture.completedFuture(AuthOutcome.denied(c.refusal()));
        }
        if (throttle.throttled(c.user(), clientAddress)) {
            return CompletableFuture.completedFuture(AuthOutcome.denied(Reason.AUTH_THROTTLED));
        }
        String key = key(values.get(0));
        if (failed.getIfPresent(key) != null) {
            throttle.failed(c.user(), clientAddress);
            return CompletableFuture.completedFuture(AuthOutcome.denied(Reason.AUTH_FAILED));
        }
        // One verification per credential at a time: a browser opening six connections, or a
        // client opening 64 tunnels, with a credential not yet cached costs one bcrypt, not 64.
        CompletableFuture<AuthOutcome> running = inFlight.get(key);
        if (running != null) {
            return running;
        }
        CompletableFuture<AuthOutcome> fresh = new CompletableFuture<>();
        running = inFlight.putIfAbsent(key, fresh);
        if (running != null) {
            return running;
        }
        offload(() -> verify(store, c, key, clientAddress)).whenComplete((o, e) -> {
            inFlight.remove(key, fresh);
            if (e != null) {
                fresh.completeExceptionally(e);
            } else {
                fresh.complete(o);
            }
        });
        return fresh;
    }

    private AuthOutcome verify(CredentialStore store, BasicCredentials c, String key, String clientAddress) {
        AuthOutcome o = store.check(c.user(), c.password());
        Reason refused = o.denial() == null ? null : o.denial().reason();
        if (refused == null) {
            verified.put(key, o.identity());
        } else if (refused == Reason.AUTH_FAILED) {
            failed.put(key, Boolean.TRUE);
            throttle.failed(c.user(), clientAddress);
        }
        return o;
    }

    private String key(String headerValue) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(salt);
            return HexFormat.of().formatHex(d.digest(headerValue.strip().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
