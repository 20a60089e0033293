package io.sekisho.proxy.audit;

/**
 * Where audit records go. {@link #write} is called on Netty event loops, so an implementation
 * never blocks: it queues and returns.
 */
public interface AuditLog extends AutoCloseable {

    /** Queues one record; never blocks, never throws. */
    void write(AuditRecord record);

    /** Records that could not be queued since start (the queue was full). */
    default long dropped() {
        return 0;
    }

    /** Lines accepted and not yet written (a metric). */
    default long queueDepth() {
        return 0;
    }

    /** Writes that failed since start (disk full, I/O error): a metric. */
    default long writeFailures() {
        return 0;
    }

    /** Writes out everything queued, then releases the output. */
    @Override
    default void close() {
    }
}
