package io.sekisho.proxy.channel;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** A client's address as the audit log spells it: "127.0.0.1:53122", "[::1]:53122". */
public final class ClientAddress {
    private ClientAddress() {
    }

    /** The remote end of a client connection. */
    public static String of(Channel ch) {
        return describe(ch.remoteAddress());
    }

    public static String describe(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
