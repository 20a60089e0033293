package io.sekisho.proxy.cli;

import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.audit.AsyncAuditLog;
import io.sekisho.proxy.reload.ConfigReloader;
import io.sekisho.proxy.reload.Signals;
import io.sekisho.proxy.upstream.ExecutorHostResolver;
import io.sekisho.tls.TlsSetupException;
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
        ProxyServer server;
        try {
            server = ProxyServer.builder(cfg, wiring.policyFor(cfg), audit, resolver)
                    .blocks(wiring.blocksFor(cfg)).keyLookup(wiring.keyLookup()).start();
        } catch (TlsSetupException e) {
            // One line naming the file and the problem (never key material): the operator fixes it and restarts.
            PrintWriter err = spec.commandLine().getErr();
            err.println("sekisho: cannot start: " + e.getMessage());
            err.flush();
            resolver.close();
            audit.close();
            return 1;
        }
        ConfigReloader reloader = config == null ? null
                : new ConfigReloader(config, cfg, wiring::load, c -> server.reload(c, wiring.policyFor(c)),
                        RELOAD_DEBOUNCE, RELOAD_SETTLE);
        if (reloader != null) {
            reloader.watch();
            Signals.onHangup(reloader::reloadNow);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (reloader != null) {
                reloader.close();
            }
            server.shutdown(server.services().state().config().timeouts().shutdownDrain());
            resolver.close();
            // The last lines: written out before the JVM exits (the writer is a daemon thread).
            audit.close();
            stopped.countDown();
        }, "sekisho-shutdown"));
        stopped.await();
        return 0;
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
