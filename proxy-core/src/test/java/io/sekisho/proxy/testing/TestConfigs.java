package io.sekisho.proxy.testing;

import io.sekisho.config.ClientAccess;
import io.sekisho.config.SekishoConfig;
import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.config.SekishoConfig.Limits;
import io.sekisho.config.SekishoConfig.ResolveRule;
import io.sekisho.config.SekishoConfig.Timeouts;
import io.sekisho.config.SekishoConfig.Upstream;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.Mode;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.domain.DomainPattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builds {@link SekishoConfig} values for tests (the loader is tested in the config module). */
public final class TestConfigs {
    private HostPort adminListen;
    private Mode mode = Mode.ENFORCE;
    private SekishoConfig.Audit audit = SekishoConfig.Audit.toFile("-");
    private final List<ResolveRule> resolve = new ArrayList<>();
    private HostPort parent;
    private Duration connect = Duration.ofSeconds(3);
    private Duration requestHeader = Duration.ofSeconds(10);
    private Duration idle = Duration.ofSeconds(30);
    private Duration upstreamResponse = Duration.ofSeconds(10);
    private Duration shutdownDrain = Duration.ofSeconds(2);
    private int maxHeaderBytes = 8192;
    private int maxHeaderCount = 64;
    private int maxInitialLineBytes = 2048;
    private int maxPerHost = 16;
    private Duration poolIdle = Duration.ofSeconds(30);
    private Path source;
    private SekishoConfig.Tls tls;
    private final List<Path> trusted = new ArrayList<>();
    private Duration tlsHandshake = Duration.ofSeconds(10);
    private Duration requestBody = Duration.ofHours(1);
    private int maxConnections = 10_000;
    private int maxConnectionsPerClient = 1_000;
    private int maxPendingHeadBytes = 64 * 1024 * 1024;
    private ClientAccess access = ClientAccess.loopbackOnly();
    private int minRequestBodyRate = 1_024;
    private Duration requestBodyRateWindow = Duration.ofSeconds(10);

    public static TestConfigs builder() {
        return new TestConfigs();
    }

    /** {@code audit.*} (the proxy's tests open the audit log themselves; this sets onFailure and the rest). */
    public TestConfigs audit(SekishoConfig.Audit a) {
        audit = a;
        return this;
    }

    public TestConfigs mode(Mode m) {
        mode = m;
        return this;
    }

    /** {@code upstream.resolve}: {@code pattern} goes to 127.0.0.1:{@code port}. */
    public TestConfigs resolve(String pattern, int port) {
        resolve.add(new ResolveRule(DomainPattern.parse(pattern), new HostPort("127.0.0.1", port)));
        return this;
    }

    public TestConfigs parent(int port) {
        parent = new HostPort("127.0.0.1", port);
        return this;
    }

    public TestConfigs connectTimeout(Duration d) {
        connect = d;
        return this;
    }

    public TestConfigs requestHeaderTimeout(Duration d) {
        requestHeader = d;
        return this;
    }

    public TestConfigs idleTimeout(Duration d) {
        idle = d;
        return this;
    }

    public TestConfigs upstreamResponseTimeout(Duration d) {
        upstreamResponse = d;
        return this;
    }

    public TestConfigs shutdownDrain(Duration d) {
        shutdownDrain = d;
        return this;
    }

    public TestConfigs limits(int headerBytes, int headerCount, int initialLineBytes) {
        maxHeaderBytes = headerBytes;
        maxHeaderCount = headerCount;
        maxInitialLineBytes = initialLineBytes;
        return this;
    }

    public TestConfigs maxConnectionsPerHost(int n) {
        maxPerHost = n;
        return this;
    }

    /** {@code upstream.poolIdleTimeout}. */
    public TestConfigs poolIdleTimeout(Duration d) {
        poolIdle = d;
        return this;
    }

    public TestConfigs source(Path p) {
        source = p;
        return this;
    }

    /** {@code tls.*}: the CA given to the proxy (interception on). */
    public TestConfigs tls(SekishoConfig.Tls t) {
        tls = t;
        return this;
    }

    /** {@code tls.ca} from PEM files, EC P-256 leaves for 7 days, 1000 cached. */
    public TestConfigs interceptWith(Path caPem, Path caKey) {
        return tls(new SekishoConfig.Tls(caPem, caKey, null, null, "ec-p256", Duration.ofDays(7), 1000));
    }

    /** {@code upstream.trustedCertificates}. */
    public TestConfigs trust(Path... pems) {
        trusted.addAll(List.of(pems));
        return this;
    }

    public TestConfigs tlsHandshakeTimeout(Duration d) {
        tlsHandshake = d;
        return this;
    }

    /** {@code limits.maxConnections} and {@code limits.maxConnectionsPerClient}. */
    public TestConfigs maxConnections(int total, int perClient) {
        maxConnections = total;
        maxConnectionsPerClient = perClient;
        return this;
    }

    /** {@code limits.maxPendingHeadBytes}. */
    public TestConfigs maxPendingHeadBytes(int n) {
        maxPendingHeadBytes = n;
        return this;
    }

    /** {@code timeouts.requestBody}, {@code limits.minRequestBodyRate} and {@code limits.requestBodyRateWindow}. */
    public TestConfigs requestBody(Duration total, int minBytesPerSecond, Duration window) {
        requestBody = total;
        minRequestBodyRate = minBytesPerSecond;
        requestBodyRateWindow = window;
        return this;
    }

    /** {@code clients.allow} and {@code auth}; loopback only and no authentication unless set. */
    public TestConfigs access(ClientAccess a) {
        access = a;
        return this;
    }

    /** {@code admin.listen}; off unless set (tests must not all bind the default port). */
    public TestConfigs adminListen(HostPort a) {
        adminListen = a;
        return this;
    }

    public SekishoConfig build() {
        PolicySettings policy = new PolicySettings(mode, List.of(), List.of(), Set.of(443), Set.of(80), List.of(),
                false, 64 * 1024, AwsSettings.NONE);
        return new SekishoConfig(source, new HostPort("127.0.0.1", 0), audit, policy,
                new Upstream(resolve, parent, trusted, maxPerHost, poolIdle),
                new Timeouts(connect, tlsHandshake, requestHeader, idle, upstreamResponse, shutdownDrain, requestBody),
                new Limits(maxHeaderBytes, maxHeaderCount, maxInitialLineBytes, maxConnections, maxConnectionsPerClient,
                        maxPendingHeadBytes, minRequestBodyRate, requestBodyRateWindow),
                tls, null, "", null, access, adminListen, List.of());
    }
}
