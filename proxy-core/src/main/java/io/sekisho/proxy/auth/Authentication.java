package io.sekisho.proxy.auth;

import io.sekisho.config.ClientAccess.Auth;
import io.sekisho.policy.Nullable;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection shares for proxy authentication: the bounded executor that verifies
 * credentials (bcrypt, LDAP, Kerberos tickets) off the event loops, and the
 * {@link Authenticator} of the {@code auth} configuration in force, whose caches survive a reload
 * that leaves {@code auth} unchanged. One per running proxy; thread-safe.
 */
public final class Authentication implements AutoCloseable {
    /** Verifications waiting beyond this are refused with AUTH_BACKEND_UNAVAILABLE rather than queued without end. */
    static final int QUEUE = 1024;

    private final ThreadPoolExecutor executor;
    private final Clock clock;
    private final byte[] salt = new byte[16];
    private final AtomicReference<Authenticator> current = new AtomicReference<>();

    public Authentication(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "sekisho-auth-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        new SecureRandom().nextBytes(salt);
    }

    /** The authenticator for {@code auth}, or null when authentication is off. */
    public @Nullable Authenticator forConfig(@Nullable Auth auth) {
        if (auth == null) {
            return null;
        }
        Authenticator a = current.get();
        if (a != null && a.config().equals(auth)) {
            return a;
        }
        Authenticator fresh = new Authenticator(auth, executor, clock, salt);
        return current.compareAndSet(a, fresh) ? fresh : Objects.requireNonNull(current.get());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
