package io.sekisho.proxy.channel;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.Identity;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The identity a client connection has proved ({@code auth}), kept on the connection: set by
 * the authentication handler for each absolute-form request and once for a CONNECT, whose
 * tunnel (and every request inside an intercepted one) carries it to the end.
 */
public final class ClientIdentity {
    private static final AttributeKey<Identity> KEY = AttributeKey.valueOf("sekisho.identity");

    private ClientIdentity() {
    }

    /** The identity of {@code ch}; {@link Identity#ANONYMOUS} when none was proved. */
    public static Identity of(Channel ch) {
        Identity i = ch.attr(KEY).get();
        if (i == null && ch.parent() != null) {
            // An HTTP/2 stream carries its connection's identity (a listening socket has none).
            i = ch.parent().attr(KEY).get();
        }
        return i != null ? i : Identity.ANONYMOUS;
    }

    public static void set(Channel ch, Identity identity) {
        ch.attr(KEY).set(identity);
    }

    /**
     * {@code x} as sent by {@code ch}'s client: the identity it proved and its address, which
     * per-group policies select on and {@code aws.sts.roleSessionName} compares with.
     */
    public static Exchange on(Exchange x, Channel ch) {
        InetAddress address = ch.remoteAddress() instanceof InetSocketAddress i ? i.getAddress() : null;
        return x.from(of(ch), address);
    }
}
