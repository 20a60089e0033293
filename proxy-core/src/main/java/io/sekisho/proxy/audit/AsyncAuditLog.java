package io.sekisho.proxy.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit lines on a thread of its own so that event loops never wait for the disk. The
 * queue is bounded: when it is full a record is dropped and counted rather than blocking a
 * loop, and the count is logged (the first drop at once, then at most once a minute).
 *
 * <p>The queue is lock-free and the writer polls it every {@value #COALESCE_MILLIS} ms instead
 * of being signalled: an event loop adding a line never takes a lock nor wakes a thread (a
 * futex call and a context switch per request otherwise), and lines are written in batches.
 */
public final class AsyncAuditLog implements AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AsyncAuditLog.class);
    private static final int BATCH = 256;
    /**
     * How long lines may wait to be written with others: at most ~100 wake-ups a second. Each
     * wake-up is a sleep and a context switch whether or not lines came (at 2 ms, under a load of
     * new intercepted connections, this thread took about 5 % of the proxy's CPU, half of it in
     * the kernel); 10 ms is still far below anything a reader of the audit log could notice.
     */
    private static final long COALESCE_MILLIS = 10;
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ConcurrentLinkedQueue<AuditRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final OutputStream out;
    private final boolean closeOut;
    private final String instance;
    private final JsonGenerator json;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile long lastDropLog = System.nanoTime() - DROP_LOG_INTERVAL_NANOS;
    private volatile boolean closing;

    private AsyncAuditLog(OutputStream out, boolean closeOut, int capacity, String instance) throws IOException {
        this.instance = instance;
        this.capacity = capacity;
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.closeOut = closeOut;
        JsonFactory factory = new JsonFactory();
        factory.setRootValueSeparator(null);
        this.json = factory.createGenerator(this.out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.writer = new Thread(this::run, "sekisho-audit");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Opens {@code audit.file}: "-" is standard output, anything else a file opened for
     * appending (created with its parent directories when missing).
     */
    public static AsyncAuditLog open(String auditFile, int capacity) throws IOException {
        return open(auditFile, capacity, "");
    }

    /** As {@link #open(String, int)}, each line naming {@code instance} ("" names none). */
    public static AsyncAuditLog open(String auditFile, int capacity, String instance) throws IOException {
        if ("-".equals(auditFile)) {
            return new AsyncAuditLog(System.out, false, capacity, instance);
        }
        Path p = Path.of(auditFile);
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new AsyncAuditLog(new FileOutputStream(p.toFile(), true), true, capacity, instance);
    }

    /** For tests: lines go to {@code out}, which this log does not close. */
    public static AsyncAuditLog to(OutputStream out, int capacity) throws IOException {
        return new AsyncAuditLog(out, false, capacity, "");
    }

    @Override
    public void write(AuditRecord record) {
        if (closing || !offer(record)) {
            long n = dropped.incrementAndGet();
            long now = System.nanoTime();
            if (n == 1 || now - lastDropLog >= DROP_LOG_INTERVAL_NANOS) {
                lastDropLog = now;
                log.warn("audit queue full or closed: {} audit line(s) dropped since start", n);
            }
        }
    }

    private boolean offer(AuditRecord record) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            return false;
        }
        queue.add(record);
        return true;
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        List<AuditRecord> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                AuditRecord r;
                while (batch.size() < BATCH && (r = queue.poll()) != null) {
                    batch.add(r);
                }
                queued.addAndGet(-batch.size());
                if (!batch.isEmpty()) {
                    writeBatch(batch);
                } else if (closing) {
                    return;
                }
                boolean full = batch.size() == BATCH;
                batch.clear();
                if (!full) {
                    // Let lines gather: the next batch is one write(2) for many lines.
                    Thread.sleep(COALESCE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeBatch(List<AuditRecord> batch) {
        try {
            for (AuditRecord r : batch) {
                AuditJson.write(json, r, instance);
                json.writeRaw('\n');
            }
            // Flush once per batch: a burst costs one write(2), a lone line is visible within COALESCE_MILLIS.
            json.flush();
        } catch (IOException | RuntimeException e) {
            log.error("cannot write the audit log: {}", e.toString());
        }
    }

    /** Stops accepting, writes out what is queued (waiting at most 10 s), then closes the file. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            json.flush();
            if (closeOut) {
                out.close();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            log.error("cannot close the audit log: {}", e.toString());
        }
    }
}
