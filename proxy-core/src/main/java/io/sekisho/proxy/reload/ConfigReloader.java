package io.sekisho.proxy.reload;

import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.tls.TlsSetupException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration file on SIGHUP and when it changes on disk. The new file is loaded
 * and validated first, on a thread of its own (never an event loop); a file with errors is
 * refused with every problem logged and the running configuration stays; a good one is handed
 * to the {@link Target}, which may refuse it too (a CA that start would refuse).
 *
 * <p>A file seen by the watcher may still be being written: a config cut before {@code aws:}
 * is valid YAML that turns AWS account checks off (issue 18 point 5). So a change that
 * {@link Weakenings weakens} the configuration the operator last applied on purpose — at start,
 * by SIGHUP, or by replacing the file whole — is applied from the watcher only when the file was
 * replaced by a rename (a new inode: {@code mv}, {@code sed -i}, a ConfigMap update) and then
 * stayed the same, inode, size, time and content hash, for the settle time. A weakening written
 * in place is logged and left for SIGHUP. Strengthening changes apply after the debounce as
 * before. SIGHUP applies whatever valid file is there: the operator says it is complete.
 * Every attempt reads the file's stamp before and after loading, and starts again when they
 * differ, so one load never mixes two versions.
 *
 * <p>The directory watch sees a file written, renamed over, or a Kubernetes ConfigMap's
 * {@code ..data} link swapped in the file's own directory. It cannot see a symbolic link swapped
 * in another directory on the path ({@code --config /srv/sekisho/current/sekisho.yaml} with
 * {@code current} re-pointed by {@code ln -sfn}; the watch holds the old directory's inode), nor
 * changes on file systems that send no inotify events (NFS, some overlay mounts). So the file's
 * real path, inode, size and time are also polled every {@code poll}; a difference is handled as
 * if the watcher had seen it.
 */
public final class ConfigReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);
    /** Kubernetes' AtomicWriter swaps this symbolic link to update a mounted ConfigMap. */
    private static final String CONFIGMAP_LINK = "..data";

    /** Applies a validated configuration, or refuses it by throwing. */
    @FunctionalInterface
    public interface Target {
        void apply(SekishoConfig config) throws TlsSetupException;
    }

    /** Why a reload runs. */
    private enum Trigger {
        /** SIGHUP: applies any valid file. */
        SIGNAL,
        /** The watcher saw the file change. */
        WATCH,
        /** A replaced file's weakening, checked again after the settle time. */
        SETTLED
    }

    private final Path file;
    private final Function<Path, LoadResult> loader;
    private final Target target;
    private final Duration debounce;
    private final Duration settle;
    private final Duration poll;
    private final ScheduledExecutorService worker;
    /** Confined to {@link #worker}: the configuration last applied on purpose, and the file last seen. */
    private SekishoConfig trusted;
    private @Nullable Object lastFileKey;
    private @Nullable WatchService watcher;
    private @Nullable Thread watchThread;
    private @Nullable ScheduledFuture<?> pending;
    /** Told the new file's SHA-256 when a reload applied; told when one was refused (the metrics). */
    private volatile Consumer<String> applied = sha256 -> { };
    private volatile Runnable refused = () -> { };
    /** Confined to {@link #worker}: what the last poll saw. */
    private @Nullable Polled polled;

    /** What the poll compares: cheap to read, and different whenever the name points at new content. */
    private record Polled(@Nullable Path real, @Nullable Object fileKey, long size, long modifiedMillis) {
        static Polled of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Polled(file.toRealPath(), a.fileKey(), a.size(), a.lastModifiedTime().toMillis());
            } catch (IOException e) {
                return new Polled(null, null, -1, -1);
            }
        }
    }

    /**
     * @param running the configuration the proxy started with: what weakenings are measured against
     * @param debounce how long the watcher waits after a change before reading the file
     * @param settle how long a replaced file that weakens must stay the same before it applies
     */
    public ConfigReloader(Path file, SekishoConfig running, Function<Path, LoadResult> loader, Target target,
            Duration debounce, Duration settle) {
        this(file, running, loader, target, debounce, settle, Duration.ofSeconds(1));
    }

    /** @param poll how often the file's real path and stamp are compared, besides the directory watch */
    public ConfigReloader(Path file, SekishoConfig running, Function<Path, LoadResult> loader, Target target,
            Duration debounce, Duration settle, Duration poll) {
        this.poll = poll;
        this.file = file.toAbsolutePath().normalize();
        this.trusted = Objects.requireNonNull(running);
        this.loader = loader;
        this.target = target;
        this.debounce = debounce;
        this.settle = settle;
        this.lastFileKey = fileKey(this.file);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sekisho-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /** The SHA-256 of {@code file}'s content as a reload reports it, "" when it cannot be read. */
    public static String sha256Of(Path file) {
        try {
            return FileStamp.of(file).sha256();
        } catch (IOException e) {
            return "";
        }
    }

    /** Where each reload's outcome is reported; set before {@link #watch}. */
    public ConfigReloader outcomes(Consumer<String> whenApplied, Runnable whenRefused) {
        this.applied = Objects.requireNonNull(whenApplied);
        this.refused = Objects.requireNonNull(whenRefused);
        return this;
    }

    /** Starts watching the file's directory. */
    public void watch() throws IOException {
        WatchService w = FileSystems.getDefault().newWatchService();
        watcher = w;
        Path dir = Objects.requireNonNull(file.getParent(), "an absolute file name has a directory");
        dir.register(w, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        watchThread = new Thread(() -> watchLoop(w), "sekisho-config-watch");
        watchThread.setDaemon(true);
        watchThread.start();
        worker.execute(() -> polled = Polled.of(file));
        worker.scheduleWithFixedDelay(this::pollOnce, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollOnce() {
        Polled now = Polled.of(file);
        if (!now.equals(polled)) {
            polled = now;
            schedule(Trigger.WATCH, null, debounce);
        }
    }

    private void watchLoop(WatchService watcher) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = false;
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.context() instanceof Path p && (p.getFileName().equals(file.getFileName())
                            || p.getFileName().toString().equals(CONFIGMAP_LINK))) {
                        ours = true;
                    }
                }
                key.reset();
                if (ours) {
                    schedule(Trigger.WATCH, null, debounce);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Reloads now (SIGHUP). */
    public void reloadNow() {
        schedule(Trigger.SIGNAL, null, Duration.ZERO);
    }

    /** A new change replaces whatever was pending, a settle check included. */
    private synchronized void schedule(Trigger trigger, @Nullable FileStamp seen, Duration delay) {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = worker.schedule(() -> reload(trigger, seen), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reload(Trigger trigger, @Nullable FileStamp seen) {
        // What this attempt reads is what the poll compares with from now on: a change the watcher
        // already brought here must not come back from the poll as a second, in-place-looking
        // change (which would cancel a replaced file's settle check).
        polled = Polled.of(file);
        FileStamp before;
        LoadResult r;
        FileStamp after;
        try {
            before = FileStamp.of(file);
            r = loader.apply(file);
            after = FileStamp.of(file);
        } catch (IOException | RuntimeException e) {
            log.error("reload of {} failed ({}); keeping the running configuration", file, e.toString());
            refused.run();
            return;
        }
        if (!before.equals(after)) {
            log.info("{} changed while it was read; reading it again in {} ms", file, debounce.toMillis());
            schedule(trigger == Trigger.SIGNAL ? Trigger.SIGNAL : Trigger.WATCH, null, debounce);
            return;
        }
        Object key = before.fileKey();
        boolean replaced = key != null && !key.equals(lastFileKey);
        lastFileKey = key;
        SekishoConfig loaded = r.config();
        if (loaded == null) {
            for (Problem p : r.problems()) {
                log.error("{}", p);
            }
            log.error("{} has {} error(s); keeping the running configuration", file, r.errors().size());
            refused.run();
            return;
        }
        for (Problem p : r.warnings()) {
            log.warn("{}", p);
        }
        boolean deliberate = trigger == Trigger.SIGNAL || (trigger == Trigger.SETTLED && before.equals(seen));
        decide(loaded, before, deliberate, replaced);
    }

    /**
     * Applies a valid file unless it weakens the trusted configuration and might be unfinished.
     *
     * @param deliberate SIGHUP, or a replaced file that stayed the same for the settle time
     * @param replaced the file's inode differs from the one seen by the previous attempt
     */
    private void decide(SekishoConfig config, FileStamp stamp, boolean deliberate, boolean replaced) {
        List<String> weaker = Weakenings.of(trusted, config);
        if (weaker.isEmpty() || deliberate) {
            apply(config, deliberate, weaker, stamp);
        } else if (replaced) {
            log.info("{} was replaced and weakens the configuration ({}); applying it if it stays the same for {} ms",
                    file, String.join("; ", weaker), settle.toMillis());
            schedule(Trigger.SETTLED, stamp, settle);
        } else {
            log.warn("{} weakens the configuration ({}) but was changed in place and may still be being written;"
                    + " not applied: send SIGHUP once it is complete, or replace the file with a rename (mv)",
                    file, String.join("; ", weaker));
        }
    }

    /** @param deliberate applied by SIGHUP or as a settled replacement: weakenings are measured from it on */
    private void apply(SekishoConfig config, boolean deliberate, List<String> weaker, FileStamp stamp) {
        try {
            target.apply(config);
        } catch (TlsSetupException e) {
            // The same one-line message start gives; it names the file, never key material.
            log.error("{}: {}; keeping the running configuration", file, e.getMessage());
            refused.run();
            return;
        } catch (RuntimeException e) {
            log.error("applying {} failed ({}); keeping the running configuration", file, e.toString());
            refused.run();
            return;
        }
        applied.accept(stamp.sha256());
        if (!weaker.isEmpty()) {
            log.warn("{} applied; it weakens the configuration: {}", file, String.join("; ", weaker));
        }
        if (deliberate) {
            trusted = config;
        }
    }

    private static @Nullable Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
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
