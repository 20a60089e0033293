package io.sekisho.proxy.limits;

import io.netty.channel.Channel;
import io.sekisho.policy.domain.DomainPattern;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code clients.allow}: whether a newly accepted connection comes from an admitted network. A
 * connection without an IP address (never TCP) is not admitted: fail closed.
 */
public final class ClientNetworks {
    private ClientNetworks() {
    }

    public static boolean admits(Channel ch, List<DomainPattern> allow) {
        if (!(ch.remoteAddress() instanceof InetSocketAddress i) || i.getAddress() == null) {
            return false;
        }
        InetAddress a = i.getAddress();
        for (DomainPattern p : allow) {
            if (p.contains(a)) {
                return true;
            }
        }
        return false;
    }
}
