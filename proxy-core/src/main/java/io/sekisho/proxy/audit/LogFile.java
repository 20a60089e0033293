package io.sekisho.proxy.audit;

import io.sekisho.policy.Nullable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One output of the audit writer: a file opened for appending (or standard output, or a test's
 * stream) and the bytes handed to it that are not yet written. A failed write keeps what the
 * kernel did not take, and the next {@link #drain} goes on from there: a line is written once,
 * whole, even across a full disk. Used by the writer thread only.
 */
final class LogFile implements AutoCloseable {
    private final @Nullable Path path;
    private final boolean closeable;
    private WritableByteChannel channel;
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private long size;

    private LogFile(@Nullable Path path, WritableByteChannel channel, boolean closeable) throws IOException {
        this.path = path;
        this.channel = channel;
        this.closeable = closeable;
        this.size = channel instanceof FileChannel f ? sizeOf(f) : 0;
    }

    /** "-" is standard output; anything else a file opened for appending, with its directories. */
    static LogFile open(String name) throws IOException {
        if ("-".equals(name)) {
            return new LogFile(null, new FileOutputStream(FileDescriptor.out).getChannel(), false);
        }
        Path p = Path.of(name).toAbsolutePath();
        Path parent = p.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new LogFile(p, openChannel(p), true);
    }

    static LogFile to(WritableByteChannel channel) throws IOException {
        return new LogFile(null, channel, false);
    }

    private static FileChannel openChannel(Path p) throws IOException {
        // A FIFO blocks here until a reader opens it; that is the writer thread, never a loop.
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static long sizeOf(FileChannel f) {
        try {
            return f.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Hands over the next bytes, which stay untouched until written; only when nothing is pending. */
    void append(ByteBuffer bytes) {
        pending = bytes;
    }

    boolean hasPending() {
        return pending.hasRemaining();
    }

    /** Writes what is pending; on failure what was taken stays taken and the rest stays pending. */
    void drain() throws IOException {
        while (pending.hasRemaining()) {
            size += channel.write(pending);
        }
    }

    long size() {
        return size;
    }

    /** Closes and opens the file again by name (after an external rename); nothing pending. */
    void reopen() throws IOException {
        if (path == null) {
            return;
        }
        channel.close();
        channel = openChannel(path);
        size = sizeOf((FileChannel) channel);
    }

    /**
     * Size rotation: {@code file.(keep-1)} becomes {@code file.keep} (the oldest is replaced),
     * …, {@code file} becomes {@code file.1}, and a new {@code file} is opened.
     */
    void rotate(int keep) throws IOException {
        if (path == null || keep < 1) {
            return;
        }
        channel.close();
        for (int i = keep - 1; i >= 1; i--) {
            Path from = numbered(i);
            if (Files.exists(from)) {
                Files.move(from, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        channel = openChannel(path);
        size = 0;
    }

    private Path numbered(int i) {
        return Path.of(path + "." + i);
    }

    String name() {
        return path == null ? "-" : path.toString();
    }

    @Override
    public void close() throws IOException {
        if (closeable) {
            channel.close();
        }
    }
}
