package io.sekisho.proxy.channel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;

/**
 * Two channels on one event loop (so no locking) whose bytes are relayed to each other: an
 * established CONNECT tunnel, or a WebSocket once its upgrade was answered with 101. It counts
 * the bytes each way and closes both sides once; {@link #closed} then tells the owner, which
 * writes its audit line. A WebSocket's channels do not allow half-closure, so either side's
 * FIN closes both; a tunnel's do, and it ends as follows.
 *
 * <p>RFC 9110 §9.3.6: a tunnel closes when either side closes, after what came from the closed
 * side is delivered. The client's FIN is passed on as a FIN, and the origin's answer is still
 * relayed until its own FIN (a client may half-close and wait for the reply). The origin's FIN
 * ends the tunnel: what the origin sent is flushed to the client and followed by a FIN, and the
 * upstream connection closes at once, since nothing the client sends later can be delivered
 * (written to the closed origin, it would only draw a reset). What the client still sends is
 * read and dropped until its FIN ({@link #dropping}): closing a socket with unread bytes resets
 * it, and a reset could cut off what the client has not yet received. Past
 * {@link #MAX_DROPPED_BYTES} the client is no longer read, and the idle timeout ends it.
 */
public abstract class SplicedChannels {
    /** What a client may still send after the origin's FIN before it is no longer read. */
    public static final long MAX_DROPPED_BYTES = 1 << 20;

    private final Channel client;
    private final Channel upstream;
    private long bytesUp;
    private long bytesDown;
    private boolean clientInputDone;
    private boolean upstreamInputDone;
    /** The origin is done: the client's bytes are read and dropped until its FIN. */
    private boolean dropping;
    private long dropped;
    private boolean closed;

    protected SplicedChannels(Channel client, Channel upstream) {
        this.client = client;
        this.upstream = upstream;
    }

    public final Channel client() {
        return client;
    }

    public final Channel upstream() {
        return upstream;
    }

    /** The other end of {@code ch}. */
    public final Channel peerOf(Channel ch) {
        return ch == client ? upstream : client;
    }

    /** True once the origin has closed: what {@code from} sends is read and dropped, not relayed. */
    public final boolean dropping(Channel from) {
        return dropping && from == client;
    }

    /** True for the upstream once it was closed at the origin's FIN: its close does not end the tunnel. */
    public final boolean closedAtOriginsFin(Channel ch) {
        return dropping && ch == upstream;
    }

    /** The client sent {@code bytes} that were dropped. */
    public final void dropped(int bytes) {
        dropped += bytes;
    }

    /** Whether the client is read on while {@link #dropping}: until {@link #MAX_DROPPED_BYTES} were dropped. */
    public final boolean mayDropMore() {
        return dropped <= MAX_DROPPED_BYTES;
    }

    /** {@code bytes} were read from {@code from} and go to its peer. */
    public final void counted(Channel from, int bytes) {
        if (from == client) {
            bytesUp += bytes;
        } else {
            bytesDown += bytes;
        }
    }

    /**
     * One side sent FIN: pass it on as a FIN (after what is queued for the peer); the origin's
     * also closes the upstream connection and starts {@link #dropping} (see the class comment).
     * Both sides close once both directions are done.
     */
    public final void inputShutdown(Channel side) {
        if (side == client) {
            clientInputDone = true;
        } else {
            upstreamInputDone = true;
        }
        Channel peer = peerOf(side);
        if ((clientInputDone && upstreamInputDone) || !peer.isActive()) {
            close();
            return;
        }
        if (side == upstream) {
            dropping = true;
            upstream.close();
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (f.isSuccess()) {
                shutdownOutput(peer);
            } else {
                close();
            }
        });
    }

    /** A FIN to {@code ch}, whose writes are all flushed; without Netty's exception where the channel allows. */
    private void shutdownOutput(Channel ch) {
        if (ch instanceof QuietNioSocketChannel quiet) {
            try {
                quiet.shutdownOutputQuietly();
            } catch (IOException e) {
                close();
            }
        } else if (ch instanceof DuplexChannel d) {
            d.shutdownOutput();
        } else {
            close();
        }
    }

    /** Closes both sides after what is queued is flushed; the first call reports {@link #closed}. */
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeOnFlush(client);
        closeOnFlush(upstream);
        closed(bytesUp, bytesDown);
    }

    /**
     * Both sides are closing: called once.
     *
     * @param up bytes relayed client → upstream
     * @param down bytes relayed upstream → client
     */
    protected abstract void closed(long up, long down);

    public static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }
}
