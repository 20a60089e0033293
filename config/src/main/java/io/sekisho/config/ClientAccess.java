package io.sekisho.config;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.domain.DomainPattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Who may use the proxy: {@code clients.allow} and {@code auth.*} (docs/authentication.md).
 *
 * @param clientsAllow the client networks admitted (CIDR entries only); when {@code clients.allow}
 *     is unset, loopback only (127.0.0.0/8 and ::1)
 * @param auth null when {@code auth} is absent: requests are anonymous
 */
public record ClientAccess(List<DomainPattern> clientsAllow, @Nullable Auth auth) {
    public ClientAccess {
        clientsAllow = List.copyOf(clientsAllow);
    }

    /** The built-in default: loopback clients only, no authentication. */
    public static ClientAccess loopbackOnly() {
        return new ClientAccess(AccessWalker.LOOPBACK, null);
    }

    /**
     * {@code auth.*}.
     *
     * @param schemes the schemes offered, in the order of the {@code Proxy-Authenticate} headers
     * @param realm the realm named in the Basic challenge
     * @param htpasswd {@code auth.basic.htpasswd}: bcrypt entries ({@code user:$2y$...})
     * @param cacheTtl how long verified credentials are trusted without checking again
     * @param negativeCacheTtl how long a failed credential is answered from memory
     * @param maxFailuresPerMinute failed attempts per user and per client address before AUTH_THROTTLED
     */
    public record Auth(List<String> schemes, String realm, @Nullable Path htpasswd, Duration cacheTtl,
            Duration negativeCacheTtl, int maxFailuresPerMinute) {
        public Auth {
            schemes = List.copyOf(schemes);
            Objects.requireNonNull(realm);
            Objects.requireNonNull(cacheTtl);
            Objects.requireNonNull(negativeCacheTtl);
        }
    }
}
