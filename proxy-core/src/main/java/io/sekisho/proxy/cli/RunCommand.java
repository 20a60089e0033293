package io.sekisho.proxy.cli;

import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.admin.AdminServer;
import io.sekisho.proxy.audit.AsyncAuditLog;
import io.sekisho.proxy.reload.ConfigReloader;
import io.sekisho.proxy.metrics.ReloadMetrics;
import io.sekisho.proxy.reload.Signals;
import io.sekisho.proxy.upstream.CachingHostResolver;
import io.sekisho.proxy.upstream.ExecutorHostResolver;
import io.sekisho.proxy.upstream.HostResolver;
import io.sekisho.tls.TlsSetupException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sekisho run [--config FILE]}: serves until SIGTERM/SIGINT, then drains for
 * {@code timeouts.shutdownDrain}. Reloads on SIGHUP and when the file changes.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the proxy (the built-in default configuration without --config).")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** Audit lines that may wait for the disk; new requests are refused (AUDIT_UNAVAILABLE) from half of it. */
    private static final int AUDIT_QUEUE = 65_536;
    /** Host names whose addresses are remembered (CachingHostResolver): more than a site reaches. */
    private static final long DNS_CACHE_NAMES = 4_096;
    /** Editors write a file in several steps; one read after they are done. */
    private static final Duration RELOAD_DEBOUNCE = Duration.ofMillis(300);
    /**
     * How long a replaced file that weakens the configuration must stay the same before it
     * applies (docs/deployment.md): longer than an editor takes to write the new file it
     * renamed into place, short enough for an operator who waits for the log line.
     */
    private static final Duration RELOAD_SETTLE = Duration.ofSeconds(2);

    private final Wiring wiring;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration file.")
    @Nullable Path config;

    RunCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() throws Exception {
        SekishoConfig cfg = initialConfig();
        if (cfg == null) {
            return 1;
        }
        AsyncAuditLog audit = AsyncAuditLog.open(AuditSpecs.of(cfg.audit(), AUDIT_QUEUE));
        Signals.onUser1(audit::reopen);
        ExecutorHostResolver resolver = new ExecutorHostResolver(8, 1024);
        ProxyServer server = startProxy(cfg, audit, resolver);
        if (server == null) {
            return 1;
        }
        AdminServer admin;
        try {
            admin = startAdmin(cfg, server);
        } catch (RuntimeException e) {
            // A proxy nobody can watch is not started: the operator frees the port or sets admin.listen.
            cannotStart("admin.listen " + cfg.adminListen() + ": " + e.getMessage());
            server.shutdown(Duration.ZERO);
            resolver.close();
            return 1;
        }
        ConfigReloader reloader = startReloader(cfg, server);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (reloader != null) {
                reloader.close();
            }
            // /readyz says "draining" while open connections finish; the admin listener goes last.
            server.shutdown(server.services().state().config().timeouts().shutdownDrain());
            if (admin != null) {
                admin.close();
            }
            resolver.close();
            // The last lines: written out before the JVM exits (the writer is a daemon thread).
            audit.close();
            stopped.countDown();
        }, "sekisho-shutdown"));
        stopped.await();
        return 0;
    }

    /** The proxy started on {@code cfg}, or null after one line on stderr when it cannot start. */
    private @Nullable ProxyServer startProxy(SekishoConfig cfg, AsyncAuditLog audit, ExecutorHostResolver resolver)
            throws InterruptedException {
        try {
            // A name asked for again is answered from memory, on the loop: no resolver thread hop.
            HostResolver cached = CachingHostResolver.withJvmTtl(resolver, DNS_CACHE_NAMES);
            return ProxyServer.builder(cfg, wiring.policyFor(cfg), audit, cached)
                    .blocks(wiring.blocksFor(cfg)).keyLookup(wiring.keyLookup())
                    .provenance(wiring.provenance()).start();
        } catch (TlsSetupException | IllegalStateException e) {
            // One line naming the file and the problem (never key material): the operator fixes it and restarts.
            cannotStart(e.getMessage());
            resolver.close();
            audit.close();
            return null;
        }
    }

    private void cannotStart(@Nullable String why) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("sekisho: cannot start: " + why);
        err.flush();
    }

    /** Watches the config file (and SIGHUP) when there is one; null on the built-in default. */
    private @Nullable ConfigReloader startReloader(SekishoConfig cfg, ProxyServer server) throws IOException {
        ReloadMetrics reloads = server.services().metrics().reloads();
        reloads.loaded(config == null ? "" : ConfigReloader.sha256Of(config), System.currentTimeMillis(), false);
        Path file = config;
        if (file == null) {
            return null;
        }
        ConfigReloader reloader = new ConfigReloader(file, cfg, wiring::load,
                c -> server.reload(c, wiring.policyFor(c)), RELOAD_DEBOUNCE, RELOAD_SETTLE)
                .outcomes(reloads::reloaded, reloads::failed);
        reloader.watch();
        Signals.onHangup(reloader::reloadNow);
        return reloader;
    }

    /** The admin listener, or null when {@code admin.listen: off}. */
    private static @Nullable AdminServer startAdmin(SekishoConfig cfg, ProxyServer server)
            throws InterruptedException {
        SekishoConfig.HostPort listen = cfg.adminListen();
        return listen == null ? null : AdminServer.forProxy(listen, server);
    }

    private @Nullable SekishoConfig initialConfig() {
        if (config == null) {
            log.info("no --config given: serving the built-in default configuration");
            return wiring.builtInDefault();
        }
        LoadResult r = wiring.load(config);
        PrintWriter err = spec.commandLine().getErr();
        for (Problem p : r.problems()) {
            err.println(p);
        }
        err.flush();
        return r.ok() ? r.config() : null;
    }
}
