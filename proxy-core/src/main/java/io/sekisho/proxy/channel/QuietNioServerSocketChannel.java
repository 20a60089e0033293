package io.sekisho.proxy.channel;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.internal.SocketUtils;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's NIO listening channel whose accepted connections are {@link QuietNioSocketChannel}s,
 * so that a tunnel's client side half-closes without an exception too. Accepts as Netty's own
 * does: one connection per call, and a connection whose channel cannot be made is closed.
 */
public final class QuietNioServerSocketChannel extends NioServerSocketChannel {
    private static final Logger log = LoggerFactory.getLogger(QuietNioServerSocketChannel.class);

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        SocketChannel accepted = SocketUtils.accept(javaChannel());
        if (accepted == null) {
            return 0;
        }
        try {
            buf.add(new QuietNioSocketChannel(this, accepted));
            return 1;
        } catch (RuntimeException e) {
            // Netty's ChannelException: the socket could not be made non-blocking.
            log.warn("could not take an accepted connection: {}", e.toString());
            try {
                accepted.close();
            } catch (IOException closing) {
                log.debug("closing it failed too: {}", closing.toString());
            }
            return 0;
        }
    }
}
