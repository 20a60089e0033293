package io.sekisho.config;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.PolicyEntry;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.domain.DomainPattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The whole validated configuration: immutable, built only by {@link ConfigLoader}.
 * Reference: docs/configuration.md. A reload builds a new instance; nothing is changed in place.
 *
 * @param source the file it came from, or null for the built-in default
 * @param listen {@code listen}
 * @param audit {@code audit.*}
 * @param policy what the decision engine needs (mode, domains, ports, intercept, aws)
 * @param upstream {@code upstream.*}
 * @param timeouts {@code timeouts.*}
 * @param limits {@code limits.*}
 * @param tls {@code tls.*}; null when interception is not configured
 * @param keyInfoResolver {@code aws.keyInfoResolver}; null when off
 * @param blockPageContact {@code blockPage.contact} ("" when unset)
 * @param access {@code clients.allow} and {@code auth.*}
 * @param adminListen {@code admin.listen}: where /metrics, /healthz and /readyz are served; null when {@code off}
 * @param pacDirect {@code pac.direct}: destinations the generated PAC file sends DIRECT
 * @param policies {@code policies}: the per-group and per-network entries in file order, each with
 *     the top level's values where it names none
 * @param warnings non-fatal findings (overlapping entries…), each with advice
 */
public record SekishoConfig(
        @Nullable Path source,
        HostPort listen,
        Audit audit,
        PolicySettings policy,
        Upstream upstream,
        Timeouts timeouts,
        Limits limits,
        @Nullable Tls tls,
        @Nullable KeyInfoResolver keyInfoResolver,
        String blockPageContact,
        @Nullable Cluster cluster,
        ClientAccess access,
        @Nullable HostPort adminListen,
        List<DomainPattern> pacDirect,
        List<PolicyEntry> policies,
        List<Problem> warnings) {

    public SekishoConfig {
        Objects.requireNonNull(listen);
        Objects.requireNonNull(audit);
        Objects.requireNonNull(policy);
        Objects.requireNonNull(upstream);
        Objects.requireNonNull(timeouts);
        Objects.requireNonNull(limits);
        Objects.requireNonNull(blockPageContact);
        Objects.requireNonNull(access);
        pacDirect = List.copyOf(pacDirect);
        policies = List.copyOf(policies);
        warnings = List.copyOf(warnings);
    }

    /** {@code audit.file}: a path, or "-" for standard output. */
    public String auditFile() {
        return audit.file();
    }

    /** {@code audit.instance}: the name each audit line gives its instance; "" means the host name. */
    public String auditInstance() {
        return audit.instance();
    }

    /**
     * {@code audit.*}.
     *
     * @param file the JSON audit: a path, or "-" for standard output
     * @param serveOnFailure {@code onFailure: serve}: keep serving when the audit cannot be
     *     written (default {@code deny}: refuse with AUDIT_UNAVAILABLE)
     * @param instance written in each JSON line; "" means the host name
     * @param accessLogFile {@code accessLog.file}, or null for no access log
     * @param accessLogFormat {@code accessLog.format}: "squid" or "combined"
     * @param rotateMegabytes {@code rotate.maxMegabytes}: rotate a file past this size; 0 never
     * @param rotateKeep {@code rotate.keep}: rotated files kept
     */
    public record Audit(String file, boolean serveOnFailure, String instance, @Nullable String accessLogFile,
            String accessLogFormat, int rotateMegabytes, int rotateKeep) {
        public Audit {
            Objects.requireNonNull(file);
            Objects.requireNonNull(instance);
            Objects.requireNonNull(accessLogFormat);
        }

        /** Only {@code audit.file}, everything else at its default. */
        public static Audit toFile(String file) {
            return new Audit(file, false, "", null, "squid", 0, 5);
        }
    }

    /** Without {@code pac.direct} (the built-in default, tests). */
    public SekishoConfig(@Nullable Path source, HostPort listen, Audit audit,
            PolicySettings policy, Upstream upstream, Timeouts timeouts, Limits limits, @Nullable Tls tls,
            @Nullable KeyInfoResolver keyInfoResolver, String blockPageContact, @Nullable Cluster cluster,
            ClientAccess access, @Nullable HostPort adminListen, List<Problem> warnings) {
        this(source, listen, audit, policy, upstream, timeouts, limits, tls, keyInfoResolver,
                blockPageContact, cluster, access, adminListen, List.of(), List.of(), warnings);
    }

    /** Without {@code policies}: everyone gets the top-level policy. */
    public SekishoConfig(@Nullable Path source, HostPort listen, Audit audit,
            PolicySettings policy, Upstream upstream, Timeouts timeouts, Limits limits, @Nullable Tls tls,
            @Nullable KeyInfoResolver keyInfoResolver, String blockPageContact, @Nullable Cluster cluster,
            ClientAccess access, @Nullable HostPort adminListen, List<DomainPattern> pacDirect,
            List<Problem> warnings) {
        this(source, listen, audit, policy, upstream, timeouts, limits, tls, keyInfoResolver,
                blockPageContact, cluster, access, adminListen, pacDirect, List.of(), warnings);
    }

    /** A host (name or IP literal, IPv6 without brackets) and a port. */
    public record HostPort(String host, int port) {
        public HostPort {
            Objects.requireNonNull(host);
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** One {@code upstream.resolve} entry: names matching {@code pattern} go to {@code target}. */
    public record ResolveRule(DomainPattern pattern, HostPort target) {
    }

    /**
     * @param resolve host pattern → address overrides, most specific match wins
     * @param parent an existing proxy to chain to, or null
     * @param trustedCertificates extra PEM roots for upstream TLS verification
     * @param maxConnectionsPerHost pool limit per upstream host:port
     * @param poolIdleTimeout how long an idle pooled upstream connection is kept
     */
    public record Upstream(
            List<ResolveRule> resolve,
            @Nullable HostPort parent,
            List<Path> trustedCertificates,
            int maxConnectionsPerHost,
            Duration poolIdleTimeout) {
        public Upstream {
            resolve = List.copyOf(resolve);
            trustedCertificates = List.copyOf(trustedCertificates);
            Objects.requireNonNull(poolIdleTimeout);
        }
    }

    /**
     * @param connect upstream TCP connect
     * @param tlsHandshake client- and upstream-side TLS handshakes
     * @param requestHeader from connection accept (or the previous response) to a complete
     *     request head
     * @param idle no bytes either way on a connection or tunnel
     * @param upstreamResponse from request sent to response head
     * @param shutdownDrain how long SIGTERM waits for open exchanges before closing them
     * @param requestBody from a complete request head to the last byte of its body (408 beyond)
     */
    public record Timeouts(
            Duration connect,
            Duration tlsHandshake,
            Duration requestHeader,
            Duration idle,
            Duration upstreamResponse,
            Duration shutdownDrain,
            Duration requestBody) {
    }

    /**
     * @param maxHeaderBytes total size of a request head (431 beyond)
     * @param maxHeaderCount number of header lines (431 beyond)
     * @param maxInitialLineBytes request line length (414 beyond)
     * @param maxConnections client connections open at once, in total (closed at accept beyond)
     * @param maxConnectionsPerClient client connections open at once from one IP address
     * @param maxPendingHeadBytes bytes that all unfinished request heads together may hold (431 beyond)
     * @param minRequestBodyRate bytes per second a request body must average over each
     *     {@code requestBodyRateWindow} of waiting for the client (408 below); 0 turns it off
     * @param requestBodyRateWindow the time over which {@code minRequestBodyRate} is measured
     */
    public record Limits(
            int maxHeaderBytes,
            int maxHeaderCount,
            int maxInitialLineBytes,
            int maxConnections,
            int maxConnectionsPerClient,
            int maxPendingHeadBytes,
            int minRequestBodyRate,
            Duration requestBodyRateWindow) {
        public Limits {
            Objects.requireNonNull(requestBodyRateWindow);
        }
    }

    /**
     * @param caCertificate PEM: the CA (or intermediate) certificate, optionally followed by its chain
     * @param caPrivateKey PEM: PKCS#8, PKCS#1 RSA, SEC1 EC, or encrypted PKCS#8
     * @param caPkcs12 alternative to the two above: a PKCS#12 file
     * @param password where the key or PKCS#12 password comes from, or null
     * @param leafKeyType "ec-p256" (default) or "rsa-2048"
     * @param leafLifetime validity of minted leaf certificates (default 7 days)
     * @param leafCacheSize how many leaf certificates are kept
     * @param http2 whether intercepted connections offer HTTP/2 by ALPN beside HTTP/1.1 (default true)
     * @param upstreamHttp2 whether an exchange whose client speaks HTTP/2 offers h2 to the origin too
     *     (default true)
     */
    public record Tls(
            @Nullable Path caCertificate,
            @Nullable Path caPrivateKey,
            @Nullable Path caPkcs12,
            @Nullable Secret password,
            String leafKeyType,
            Duration leafLifetime,
            int leafCacheSize,
            boolean http2,
            boolean upstreamHttp2) {

        /** HTTP/2 offered to clients and origins, as by default. */
        public Tls(@Nullable Path caCertificate, @Nullable Path caPrivateKey, @Nullable Path caPkcs12,
                @Nullable Secret password, String leafKeyType, Duration leafLifetime, int leafCacheSize) {
            this(caCertificate, caPrivateKey, caPkcs12, password, leafKeyType, leafLifetime, leafCacheSize, true);
        }

        /** HTTP/2 to clients as {@code http2} says, and offered to origins, as by default. */
        public Tls(@Nullable Path caCertificate, @Nullable Path caPrivateKey, @Nullable Path caPkcs12,
                @Nullable Secret password, String leafKeyType, Duration leafLifetime, int leafCacheSize,
                boolean http2) {
            this(caCertificate, caPrivateKey, caPkcs12, password, leafKeyType, leafLifetime, leafCacheSize, http2,
                    true);
        }
    }

    /**
     * {@code cluster:}: the Redis-protocol store (Valkey or Redis) a group of instances shares
     * sign-in token provenance in. Changing it needs a restart.
     *
     * @param store {@code redis://host[:port][/db]} or {@code rediss://…} (TLS), without user info
     * @param tokenKey the HMAC key, the same on every instance, that names tokens in the store
     * @param username the ACL user for AUTH, or null for the default user
     * @param password the AUTH password, or null
     * @param caCertificates a PEM bundle: the only roots a {@code rediss://} store's certificate may
     *     chain to; null, the JDK's default roots
     */
    public record Cluster(java.net.URI store, Secret tokenKey, @Nullable String username,
            @Nullable Secret password, @Nullable Path caCertificates) {
        public Cluster {
            Objects.requireNonNull(store);
            Objects.requireNonNull(tokenKey);
        }
    }

    /** A secret that is never written inline: read from an environment variable or a file. */
    public record Secret(@Nullable String env, @Nullable Path file) {
    }

    /**
     * {@code aws.keyInfoResolver}: resolve old-format access key IDs with sts:GetAccessKeyInfo.
     *
     * @param region the STS region to call
     * @param timeout per call
     * @param cacheTtl how long an answer is kept
     */
    public record KeyInfoResolver(String region, Duration timeout, Duration cacheTtl) {
    }
}
