package io.sekisho.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The I/O transport: the JDK's NIO unless {@code -Dsekisho.transport=epoll} asks for Netty's
 * native epoll (and it loads).
 *
 * <p>NIO is the default because of how each removes a socket that waits for nothing. The JDK's
 * epoll selector takes a socket out of the epoll set once its interest set is empty; Netty
 * 4.2.10's native transport leaves it registered with an empty mask (netty/netty#16683, fixed
 * only in the releases that lose tunnel bytes, see the parent POM). A tunnel's upstream sits
 * in that state after the origin's FIN, and when the client's last bytes (a TLS close_notify)
 * make the closed origin answer with a RST, epoll reports {@code EPOLLERR|EPOLLHUP} on every
 * wait, whatever the mask, until the client's FIN closes the tunnel: the event loop spins
 * (docs/performance.md, "Connection setup (issue 17)").
 */
public final class Transport {
    private final String name;
    private final IoHandlerFactory ioHandlerFactory;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> socketChannel;

    private Transport(String name, IoHandlerFactory f, Class<? extends ServerChannel> server,
            Class<? extends Channel> socket) {
        this.name = name;
        this.ioHandlerFactory = f;
        this.serverChannel = server;
        this.socketChannel = socket;
    }

    public static Transport best() {
        return byName(System.getProperty("sekisho.transport", "nio"));
    }

    /** {@code epoll} when it loads, else NIO; an unknown name is refused. */
    static Transport byName(String name) {
        if (!"nio".equals(name) && !"epoll".equals(name)) {
            throw new IllegalArgumentException("sekisho.transport must be nio or epoll, not " + name);
        }
        if ("epoll".equals(name) && Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class);
        }
        return nio();
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    public MultiThreadIoEventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends Channel> socketChannel() {
        return socketChannel;
    }

    public String name() {
        return name;
    }
}
