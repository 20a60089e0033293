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
     * @param htpasswd {@code auth.basic.htpasswd}: bcrypt entries ({@code user:$2y$...}); null with LDAP
     * @param ldap {@code auth.basic.ldap}; null with an htpasswd file
     * @param negotiate {@code auth.negotiate}; null when {@code negotiate} is not offered
     * @param cacheTtl how long verified credentials are trusted without checking again
     * @param negativeCacheTtl how long a failed credential is answered from memory
     * @param maxFailuresPerMinute failed attempts per user and per client address before AUTH_THROTTLED
     */
    public record Auth(List<String> schemes, String realm, @Nullable Path htpasswd, @Nullable Ldap ldap,
            @Nullable Negotiate negotiate, Duration cacheTtl,
            Duration negativeCacheTtl, int maxFailuresPerMinute) {
        public Auth {
            schemes = List.copyOf(schemes);
            Objects.requireNonNull(realm);
            Objects.requireNonNull(cacheTtl);
            Objects.requireNonNull(negativeCacheTtl);
        }
    }

    /**
     * {@code auth.negotiate}: SPNEGO/Kerberos tickets accepted with the keys of a keytab, through
     * the JDK's GSS-API (docs/authentication.md#kerberos-negotiate).
     *
     * @param keytab the service keytab ({@code HTTP/proxy.corp.example@REALM} keys)
     * @param principal the service principal whose keys accept tickets; "" for any key in the keytab
     */
    public record Negotiate(Path keytab, String principal) {
        public Negotiate {
            Objects.requireNonNull(keytab);
            Objects.requireNonNull(principal);
        }
    }

    /**
     * {@code auth.basic.ldap}: a search for the user (bound as {@code bindDn}, or anonymously),
     * a simple bind as the user found, then a search for the user's groups.
     *
     * @param url {@code ldap://host:port} (or {@code ldaps://})
     * @param bindDn the service account searches run as; "" for anonymous searches
     * @param password the service account's password; null for anonymous searches
     * @param userBase where users are searched, subtree
     * @param userFilter with {@code {user}}, replaced by the escaped user name (RFC 4515)
     * @param groupBase where groups are searched, subtree
     * @param groupFilter with {@code {dn}} (the user's DN) and {@code {user}}, both escaped
     * @param groupAttribute the group attribute that names it in audit lines and policies
     * @param timeout connect and response timeout of each LDAP operation
     */
    public record Ldap(String url, String bindDn, SekishoConfig.@Nullable Secret password, String userBase,
            String userFilter, String groupBase, String groupFilter, String groupAttribute, Duration timeout) {
    }
}
