package io.sekisho.proxy.reload;

import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import io.sekisho.config.SekishoConfig;
import io.sekisho.tls.TlsSetupException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration file on SIGHUP and when it changes on disk. The new file is loaded
 * and validated first, on a thread of its own (never an event loop); a file with errors is
 * refused with every problem logged and the running configuration stays; a good one is handed
 * to the {@link Target}, which may refuse it too (a CA that start would refuse). Changes are debounced, because editors write a file in several steps (or
 * replace it by a rename, which is why the directory is watched, not the file).
 */
public final class ConfigReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    /** Applies a validated configuration, or refuses it by throwing. */
    @FunctionalInterface
    public interface Target {
        void apply(SekishoConfig config) throws TlsSetupException;
    }

    private final Path file;
    private final Function<Path, LoadResult> loader;
    private final Target target;
    private final Duration debounce;
    private final ScheduledExecutorService worker;
    private WatchService watcher;
    private Thread watchThread;
    private ScheduledFuture<?> pending;

    public ConfigReloader(Path file, Function<Path, LoadResult> loader, Target target, Duration debounce) {
        this.file = file.toAbsolutePath().normalize();
        this.loader = loader;
        this.target = target;
        this.debounce = debounce;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sekisho-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching the file's directory. */
    public void watch() throws IOException {
        watcher = FileSystems.getDefault().newWatchService();
        file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        watchThread = new Thread(this::watchLoop, "sekisho-config-watch");
        watchThread.setDaemon(true);
        watchThread.start();
    }

    private void watchLoop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = false;
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.context() instanceof Path p && p.getFileName().equals(file.getFileName())) {
                        ours = true;
                    }
                }
                key.reset();
                if (ours) {
                    scheduleReload(debounce);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Reloads now (SIGHUP). */
    public void reloadNow() {
        scheduleReload(Duration.ZERO);
    }

    private synchronized void scheduleReload(Duration delay) {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = worker.schedule(this::reload, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Loads, validates and applies; returns true when the new configuration was applied. */
    public boolean reload() {
        LoadResult r;
        try {
            r = loader.apply(file);
        } catch (RuntimeException e) {
            log.error("reload of {} failed ({}); keeping the running configuration", file, e.toString());
            return false;
        }
        if (!r.ok()) {
            for (Problem p : r.problems()) {
                log.error("{}", p);
            }
            log.error("{} has {} error(s); keeping the running configuration", file, r.errors().size());
            return false;
        }
        for (Problem p : r.warnings()) {
            log.warn("{}", p);
        }
        try {
            target.apply(r.config());
            return true;
        } catch (TlsSetupException e) {
            // The same one-line message start gives; it names the file, never key material.
            log.error("{}: {}; keeping the running configuration", file, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.error("applying {} failed ({}); keeping the running configuration", file, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                log.debug("closing the watch service: {}", e.toString());
            }
        }
        worker.shutdownNow();
    }
}
