package io.sekisho.proxy.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit lines on a thread of its own so that event loops never wait for the disk.
 *
 * <p>Lines are never thrown away because the disk failed: a write that fails (a full file
 * system, an I/O error) keeps the bytes the kernel did not take and is retried every
 * {@value #RETRY_MILLIS} ms until it succeeds, so each line reaches the file once and whole.
 * Meanwhile {@link #accepting} is false, and the proxy refuses new requests with
 * {@code AUDIT_UNAVAILABLE} (or serves them, if configured to): it is also false while the
 * queue is half full (a slow disk, a pipe nobody reads) and while one write has been stuck for
 * more than {@value #STALL_MILLIS} ms. The other half of the queue holds the lines of exchanges
 * already admitted; only past the whole capacity is a line dropped, and counted.
 *
 * <p>The queue is lock-free and the writer polls it every {@value #COALESCE_MILLIS} ms instead
 * of being signalled: an event loop adding a line never takes a lock nor wakes a thread, and
 * lines are written in batches (one write(2) for many lines).
 */
public final class AsyncAuditLog implements AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AsyncAuditLog.class);
    private static final int BATCH = 256;
    /** How long lines may wait to be written with others: at most ~100 wake-ups a second. */
    private static final long COALESCE_MILLIS = 10;
    private static final long RETRY_MILLIS = 250;
    private static final long STALL_MILLIS = 2000;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ConcurrentLinkedQueue<AuditRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final List<Output> outputs;
    private final long rotateBytes;
    private final int keep;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private volatile long lastDropLog = System.nanoTime() - LOG_INTERVAL_NANOS;
    private long lastFailureLog = System.nanoTime() - LOG_INTERVAL_NANOS;
    /** When the write in progress began, 0 when none is. */
    private volatile long writingSince;
    private volatile boolean failing;
    private volatile boolean reopenRequested;
    private volatile boolean closing;

    /**
     * One file, the format of its lines, and the buffer a batch is formatted into: handed to the
     * file as it is (no copy), and reused once the file has written it all (a batch is formatted
     * only after every file drained the previous one).
     */
    private record Output(LogFile file, LineFormat format, Batch buffer) {
        Output(LogFile file, LineFormat format) {
            this(file, format, new Batch());
        }
    }

    /** A batch's bytes, readable in place. */
    private static final class Batch extends ByteArrayOutputStream {
        Batch() {
            super(64 * 1024);
        }

        synchronized ByteBuffer bytes() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    private AsyncAuditLog(List<Output> outputs, int capacity, long rotateBytes, int keep) {
        this.outputs = List.copyOf(outputs);
        this.capacity = capacity;
        this.rotateBytes = rotateBytes;
        this.keep = keep;
        this.writer = new Thread(this::run, "sekisho-audit");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Opens the JSON audit and, if configured, the access log (files created when missing). */
    public static AsyncAuditLog open(AuditSinkSpec spec) throws IOException {
        List<Output> outs = new ArrayList<>();
        outs.add(new Output(LogFile.open(spec.auditFile()), new JsonLineFormat(spec.instance())));
        if (spec.accessFile() != null) {
            outs.add(new Output(LogFile.open(spec.accessFile()), new SquidLineFormat(spec.accessFormat())));
        }
        return new AsyncAuditLog(outs, spec.capacity(), spec.rotateBytes(), spec.keep());
    }

    /** The JSON audit only: "-" is standard output, anything else a file opened for appending. */
    public static AsyncAuditLog open(String auditFile, int capacity) throws IOException {
        return open(auditFile, capacity, "");
    }

    /** As {@link #open(String, int)}, each line naming {@code instance} ("" names none). */
    public static AsyncAuditLog open(String auditFile, int capacity, String instance) throws IOException {
        return open(AuditSinkSpec.json(auditFile, instance, capacity));
    }

    /** For tests: JSON lines (instance "") go to {@code out}, which this log does not close. */
    public static AsyncAuditLog to(OutputStream out, int capacity) throws IOException {
        return new AsyncAuditLog(List.of(new Output(LogFile.to(Channels.newChannel(out)), new JsonLineFormat(""))),
                capacity, 0, 0);
    }

    @Override
    public void write(AuditRecord record) {
        if (closing || !offer(record)) {
            long n = dropped.incrementAndGet();
            long now = System.nanoTime();
            if (n == 1 || now - lastDropLog >= LOG_INTERVAL_NANOS) {
                lastDropLog = now;
                log.error("AUDIT LINES LOST: the audit queue is full or closed; {} line(s) dropped since start", n);
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
    public boolean accepting() {
        if (failing || closing || queued.get() >= capacity / 2) {
            return false;
        }
        long since = writingSince;
        return since == 0 || System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    /** Reopens the files by name at the next batch boundary (SIGUSR1, after an external rotation). */
    @Override
    public void reopen() {
        reopenRequested = true;
    }

    @Override
    public long queueDepth() {
        return Math.max(0, queued.get());
    }

    @Override
    public long writeFailures() {
        return writeFailures.get();
    }

    private void run() {
        List<AuditRecord> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                if (!drainAll() || !maintain()) {
                    Thread.sleep(RETRY_MILLIS);
                    continue;
                }
                AuditRecord r;
                while (batch.size() < BATCH && (r = queue.poll()) != null) {
                    batch.add(r);
                }
                if (batch.isEmpty()) {
                    if (closing) {
                        return;
                    }
                    Thread.sleep(COALESCE_MILLIS);
                    continue;
                }
                format(batch);
                // The lines are now the writer's: they leave the count only when formatted.
                queued.addAndGet(-batch.size());
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void format(List<AuditRecord> batch) {
        for (Output o : outputs) {
            Batch buffer = o.buffer();
            buffer.reset();
            for (AuditRecord r : batch) {
                try {
                    o.format().append(r, buffer);
                } catch (IOException | RuntimeException e) {
                    log.error("cannot format an audit line for {}: {}", o.file().name(), e.toString());
                }
            }
            o.file().append(buffer.bytes());
        }
    }

    /** Writes what every output holds; false (and the failure counted and logged) if one fails. */
    private boolean drainAll() {
        for (Output o : outputs) {
            if (!o.file().hasPending()) {
                continue;
            }
            writingSince = System.nanoTime();
            try {
                o.file().drain();
            } catch (IOException | RuntimeException e) {
                failed(o, e);
                return false;
            } finally {
                writingSince = 0;
            }
        }
        if (failing && !reopenRequested) {
            failing = false;
            log.warn("audit log writable again: accepting requests");
        }
        return true;
    }

    private void failed(Output o, Exception e) {
        failing = true;
        writeFailures.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastFailureLog >= LOG_INTERVAL_NANOS) {
            lastFailureLog = now;
            log.error("AUDIT LOG CANNOT BE WRITTEN ({}): {}; new requests are refused (AUDIT_UNAVAILABLE)"
                    + " unless audit.onFailure is serve; retrying every {} ms", o.file().name(), e.toString(),
                    RETRY_MILLIS);
        }
    }

    /** Between batches, with nothing pending: reopen on request, rotate by size; false if that failed. */
    private boolean maintain() {
        boolean reopen = reopenRequested;
        reopenRequested = false;
        for (Output o : outputs) {
            try {
                if (rotateBytes > 0 && o.file().size() >= rotateBytes) {
                    o.file().rotate(keep);
                } else if (reopen) {
                    o.file().reopen();
                }
            } catch (IOException | RuntimeException e) {
                failed(o, e);
                reopenRequested = true;
                return false;
            }
        }
        if (reopen) {
            log.info("audit log files reopened");
        }
        return true;
    }

    /** Stops accepting, writes out what is queued (waiting at most 10 s), then closes the files. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Output o : outputs) {
            try {
                o.file().close();
            } catch (IOException e) {
                log.error("cannot close the audit log {}: {}", o.file().name(), e.toString());
            }
        }
    }
}
