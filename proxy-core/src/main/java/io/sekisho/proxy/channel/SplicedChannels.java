package io.sekisho.proxy.channel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;

/**
 * Two channels on one event loop (so no locking) whose bytes are relayed to each other: an
 * established CONNECT tunnel, or a WebSocket once its upgrade was answered with 101. It counts
 * the bytes each way, passes a FIN on as a FIN (half-close), and closes both sides once;
 * {@link #closed} then tells the owner, which writes its audit line.
 */
public abstract class SplicedChannels {
    private final Channel client;
    private final Channel upstream;
    private long bytesUp;
    private long bytesDown;
    private boolean clientInputDone;
    private boolean upstreamInputDone;
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

    /** {@code bytes} were read from {@code from} and go to its peer. */
    public final void counted(Channel from, int bytes) {
        if (from == client) {
            bytesUp += bytes;
        } else {
            bytesDown += bytes;
        }
    }

    /**
     * One side sent FIN: pass it on as a FIN (after what is queued for the peer), and close
     * both once both directions are done (half-close, RFC 9293 §3.6).
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
