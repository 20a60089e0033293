package io.sekisho.proxy.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.channel.QuietNioServerSocketChannel;
import io.sekisho.proxy.channel.QuietNioSocketChannel;

/**
 * The I/O transport: Netty's NIO on the JDK's selector, the only one Sekisho runs on. Its
 * channels are Netty's NIO channels with a half-close that builds no exception ({@link
 * QuietNioSocketChannel}).
 *
 * <p>Netty's native epoll transport was the default once and is no longer offered. On 4.2.10 it
 * left a socket with an empty interest set registered (netty/netty#16683): a half-closed tunnel
 * side whose peer answered with a RST made the event loop spin until the tunnel closed. From
 * 4.2.11 on it removes such a socket from epoll but still treats it as registered, so a
 * half-closed side that later has to wait for its peer to read fails with {@code epoll_ctl}
 * ENOENT and the bytes in flight are lost; on 4.2.21 {@code HalfClosedClientReadsLateTest}
 * received 3 995 136 of 16 777 216 bytes (docs/performance.md, "Netty 4.2.21, and NIO only").
 * The JDK's selector takes such a socket out of its epoll set and adds it back when it waits
 * again.
 * {@code -Dsekisho.transport} may only name {@code nio}; any other value stops the start.
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

    /** NIO; {@code epoll} (no longer offered) and any other name are refused. */
    static Transport byName(String name) {
        if ("epoll".equals(name)) {
            throw new IllegalStateException("sekisho.transport=epoll is no longer offered: Netty's epoll transport "
                    + "loses the bytes of half-closed tunnels; remove the property (NIO is the transport)");
        }
        if (!"nio".equals(name)) {
            throw new IllegalStateException("sekisho.transport must be nio, not " + name);
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
