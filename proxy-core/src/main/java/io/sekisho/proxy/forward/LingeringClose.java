package io.sekisho.proxy.forward;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import java.util.concurrent.TimeUnit;

/**
 * A lingering close (RFC 9112 §9.6) after a refusal that closes the connection: closing while
 * the client still sends its body makes the kernel answer with a reset, which can reach the
 * client before the refusal it has not read yet. So the rest of the body is read and dropped,
 * up to {@link #MAX_BYTES} and for at most {@link #MAX_MILLIS}; a client that read the refusal
 * stops sending and closes.
 */
final class LingeringClose {
    static final long MAX_MILLIS = 2000;
    static final long MAX_BYTES = 1 << 20;

    private final ChannelHandlerContext client;
    private long dropped;

    LingeringClose(ChannelHandlerContext client) {
        this.client = client;
    }

    /** Reads on, and runs {@code expire} (which closes unless the request ended) after {@link #MAX_MILLIS}. */
    void start(Runnable expire) {
        client.executor().schedule(expire, MAX_MILLIS, TimeUnit.MILLISECONDS);
        client.read();
    }

    /** Drops a piece of the body and reads on; false once more than {@link #MAX_BYTES} came (the caller closes). */
    boolean drop(HttpContent c) {
        dropped += c.content().readableBytes();
        c.release();
        if (dropped > MAX_BYTES) {
            return false;
        }
        client.read();
        return true;
    }
}
