package io.sekisho.proxy.channel;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Netty's NIO socket channel, plus a half-close that does not build an exception.
 *
 * <p>Netty's {@code shutdownOutput()} creates a {@code ChannelOutputShutdownException}, with its
 * stack trace, for every call: the cause it fails writes queued after the shutdown with. A
 * tunnel half-closes once per direction, so every new tunnel paid for it (docs/performance.md,
 * "A half-close without an exception"). {@link #shutdownOutputQuietly} sends the FIN through
 * the JDK channel directly; the relay calls it only once everything written to the channel has
 * been flushed, so there is nothing queued to fail. {@link #isOutputShutdown} reads the
 * socket's state and says true afterwards.
 */
public final class QuietNioSocketChannel extends NioSocketChannel {
    /** For a {@code Bootstrap}: a new, unconnected channel. */
    public QuietNioSocketChannel() {
    }

    /** An accepted connection ({@link QuietNioServerSocketChannel}). */
    QuietNioSocketChannel(Channel parent, SocketChannel socket) {
        super(parent, socket);
    }

    /**
     * Sends a FIN: the peer reads end of stream, and this side still reads. Call on the event
     * loop, after every write to this channel has completed.
     *
     * @throws IOException when the socket is not connected (the peer already reset it)
     */
    public void shutdownOutputQuietly() throws IOException {
        javaChannel().shutdownOutput();
    }
}
