package io.sekisho.proxy.audit;

/**
 * Where audit records go. {@link #write} is called on Netty event loops, so an implementation
 * never blocks: it queues and returns.
 */
public interface AuditLog extends AutoCloseable {

    /** Queues one record; never blocks, never throws. */
    void write(AuditRecord record);

    /**
     * Whether a line written now will reach the log: false while the output fails (a full disk,
     * an I/O error), is stuck (a pipe nobody reads) or the queue is half full. A request is
     * admitted only while this is true ({@link AuditAdmission}). Never blocks.
     */
    default boolean accepting() {
        return true;
    }

    /** Lines queued and not yet handed to the file. */
    default long queueDepth() {
        return 0;
    }

    /** Writes (or reopens, rotations) that failed since start; each is retried until it succeeds. */
    default long writeFailures() {
        return 0;
    }

    /** Records that could not be queued since start (the queue was full). */
    default long dropped() {
        return 0;
    }

    /** Reopens the output files by name (after an external rotation: SIGUSR1). */
    default void reopen() {
    }

    /** Writes out everything queued, then releases the output. */
    @Override
    default void close() {
    }
}
