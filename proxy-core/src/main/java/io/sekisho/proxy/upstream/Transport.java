package io.sekisho.proxy.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.channel.QuietNioServerSocketChannel;
import io.sekisho.proxy.channel.QuietNioSocketChannel;

/**
 * The I/O transport: the JDK's NIO unless {@code -Dsekisho.transport=epoll} asks for Netty's
 * native epoll (and it loads).
 *
 * <p>NIO is the default because of how each removes a socket that waits for nothing. The JDK's
 * epoll selector takes a socket out of the epoll set once its interest set is empty; Netty
 * 4.2.10's native transport leaves it registered with an empty mask (netty/netty#16683, fixed
 * only in the releases that lose tunnel bytes, see the parent POM). A half-closed tunnel side
 * sits in that state, and when its peer answers with a RST, epoll reports
 * {@code EPOLLERR|EPOLLHUP} on every wait, whatever the mask, until the tunnel closes: the event
 * loop spins (docs/performance.md, "Connection setup (issue 17)"; it was measured when the
 * upstream still stayed open after the origin's FIN, which {@link
 * io.sekisho.proxy.channel.SplicedChannels} no longer does). Its channels are Netty's NIO channels
 * with a half-close that builds no exception ({@link QuietNioSocketChannel}).
 *
 * <p>Every channel takes its buffers from {@link #allocator}: Netty's pooled allocator, with
 * a cache per event loop, unless {@code -Dio.netty.allocator.type} names one. Netty 4.2's own
 * default, the adaptive allocator, cost 6-9 % more CPU per warm intercepted keep-alive request
 * here (docs/performance.md, "Buffers from the pooled allocator").
 */
public final class Transport {
    private final String name;
    private final IoHandlerFactory ioHandlerFactory;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> socketChannel;
    private final ByteBufAllocator allocator = allocator(System.getProperty("io.netty.allocator.type"));

    private Transport(String name, IoHandlerFactory f, Class<? extends ServerChannel> server,
            Class<? extends Channel> socket) {
        this.name = name;
        this.ioHandlerFactory = f;
        this.serverChannel = server;
        this.socketChannel = socket;
    }

    /** Netty's choice when {@code nettyAllocatorType} (the property) is set, else the pooled allocator. */
    static ByteBufAllocator allocator(@Nullable String nettyAllocatorType) {
        return nettyAllocatorType == null ? PooledByteBufAllocator.DEFAULT : ByteBufAllocator.DEFAULT;
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
        return new Transport("nio", NioIoHandler.newFactory(), QuietNioServerSocketChannel.class,
                QuietNioSocketChannel.class);
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

    /** The allocator of every channel: client, upstream and admin. */
    public ByteBufAllocator allocator() {
        return allocator;
    }

    public String name() {
        return name;
    }
}
