package io.sekisho.proxy.testing;

import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Policy;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.audit.AsyncAuditLog;
import io.sekisho.proxy.upstream.CachingHostResolver;
import io.sekisho.proxy.upstream.HostResolver;
import io.sekisho.tls.TlsSetupException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The real proxy on 127.0.0.1, port 0, writing its audit log to a temporary file through the
 * real asynchronous JSON writer.
 */
public final class ProxyFixture implements AutoCloseable {
    /** Where every fixture's audit file goes (the module directory is surefire's working directory). */
    public static final Path LOGS = Path.of("target", "test-logs").toAbsolutePath();
    private final ProxyServer server;
    private final Path dir;
    private final AuditLines audit;
    private final FakeResolver resolver;

    private ProxyFixture(ProxyServer server, Path dir, FakeResolver resolver) {
        this.server = server;
        this.dir = dir;
        this.audit = new AuditLines(dir.resolve("audit.jsonl"));
        this.resolver = resolver;
    }

    public static ProxyFixture start(SekishoConfig config, Policy policy) {
        return start(config, policy, new FakeResolver());
    }

    public static ProxyFixture start(SekishoConfig config, Policy policy, FakeResolver resolver) {
        return start(config, policy, resolver, b -> b);
    }

    /** @param customize sets more on the builder (block responses, key lookup…) */
    public static ProxyFixture start(SekishoConfig config, Policy policy, FakeResolver resolver,
            UnaryOperator<ProxyServer.Builder> customize) {
        return start(config, policy, resolver, resolver, customize);
    }

    /** With {@code resolver} behind the cache of names that {@code sekisho run} puts in front of DNS. */
    public static ProxyFixture startWithNameCache(SekishoConfig config, Policy policy, FakeResolver resolver) {
        return start(config, policy, resolver, CachingHostResolver.withJvmTtl(resolver, 4_096), b -> b);
    }

    private static ProxyFixture start(SekishoConfig config, Policy policy, FakeResolver resolver,
            HostResolver front, UnaryOperator<ProxyServer.Builder> customize) {
        try {
            // Under target/ so that the after-suite secret scan (SecretScanAfterSuite) reads them.
            Path dir = Files.createTempDirectory(Files.createDirectories(LOGS), "sekisho-test");
            AsyncAuditLog log = AsyncAuditLog.open(dir.resolve("audit.jsonl").toString(), 10_000);
            ProxyServer s = customize.apply(ProxyServer.builder(config, policy, log, front)
                    .random(new Random(42))
                    .workerThreads(2))
                    .start();
            return new ProxyFixture(s, dir, resolver);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TlsSetupException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public ProxyServer server() {
        return server;
    }

    public int port() {
        return server.address().getPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port());
    }

    /** For curl's --proxy. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public AuditLines audit() {
        return audit;
    }

    public FakeResolver resolver() {
        return resolver;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofMillis(500));
    }
}
