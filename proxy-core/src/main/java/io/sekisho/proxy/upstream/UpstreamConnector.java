package io.sekisho.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sekisho.policy.HostName;
import io.sekisho.proxy.channel.IdleTimeoutHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Opens proxyToUpstream connections on the client's event loop (STYLE.md rule 8) with AUTO_READ
 * off and the connect timeout set. Addresses are always resolved before this point (the
 * bootstrap's resolver is a no-op, so nothing blocks the loop).
 */
public final class UpstreamConnector {
    /** proxyToUpstream: closes the connection after timeouts.idle without traffic. */
    public static final String UPSTREAM_IDLE = "upstreamIdle";
    /** proxyToUpstream, through upstream.parent: Netty's CONNECT client for the parent proxy. */
    public static final String PARENT_PROXY = "parentProxy";

    private final Transport transport;

    public UpstreamConnector(Transport transport) {
        this.transport = transport;
    }

    /**
     * A direct TCP connection to {@code address}; {@code more} installs the rest of the pipeline
     * after the idle handler.
     */
    public ChannelFuture connect(EventLoop loop, InetSocketAddress address, Duration connectTimeout, Duration idle,
            Consumer<Channel> more) {
        return bootstrap(loop, connectTimeout, idle, more).connect(address);
    }

    /** Tries each address in turn; fails with the last failure. */
    public Future<Channel> connectAny(EventLoop loop, List<InetSocketAddress> addresses, Duration connectTimeout,
            Duration idle, Consumer<Channel> more) {
        Promise<Channel> p = loop.newPromise();
        attempt(p, loop, addresses, 0, connectTimeout, idle, more);
        return p;
    }

    private void attempt(Promise<Channel> p, EventLoop loop, List<InetSocketAddress> addresses, int i,
            Duration connectTimeout, Duration idle, Consumer<Channel> more) {
        connect(loop, addresses.get(i), connectTimeout, idle, more).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                if (!p.trySuccess(f.channel())) {
                    f.channel().close();
                }
            } else if (i + 1 < addresses.size() && !p.isDone()) {
                attempt(p, loop, addresses, i + 1, connectTimeout, idle, more);
            } else {
                p.tryFailure(f.cause());
            }
        });
    }

    /**
     * A tunnel to {@code host:port} through the parent proxy at {@code parent}: TCP to the
     * parent, then {@code CONNECT host:port}; completes once the parent answered 2xx.
     */
    public Future<Channel> connectViaParent(EventLoop loop, InetSocketAddress parent, HostName host, int port,
            Duration connectTimeout, Duration idle) {
        Promise<Channel> p = loop.newPromise();
        HttpProxyHandler proxy = new HttpProxyHandler(parent);
        proxy.setConnectTimeoutMillis(Math.max(1, connectTimeout.toMillis()));
        Bootstrap b = bootstrap(loop, connectTimeout, idle, ch -> ch.pipeline().addFirst(PARENT_PROXY, proxy));
        ChannelFuture cf = b.connect(InetSocketAddress.createUnresolved(host.value(), port));
        cf.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                p.tryFailure(f.cause());
            }
        });
        proxy.connectFuture().addListener(f -> {
            if (f.isSuccess()) {
                p.trySuccess(cf.channel());
            } else {
                p.tryFailure(f.cause());
                cf.channel().close();
            }
        });
        return p;
    }

    /**
     * Like {@link #connectViaParent}, with {@code more} installed behind the parent's CONNECT
     * client (for TLS to the destination through the tunnel): the returned future completes once
     * the parent answered 2xx.
     */
    public ChannelFuture tunnelViaParent(EventLoop loop, InetSocketAddress parent, String host, int port,
            Duration connectTimeout, Duration idle, Consumer<Channel> more) {
        HttpProxyHandler proxy = new HttpProxyHandler(parent);
        proxy.setConnectTimeoutMillis(Math.max(1, connectTimeout.toMillis()));
        Bootstrap b = bootstrap(loop, connectTimeout, idle, ch -> {
            ch.pipeline().addFirst(PARENT_PROXY, proxy);
            more.accept(ch);
        });
        ChannelFuture cf = b.connect(InetSocketAddress.createUnresolved(host, port));
        ChannelPromise ready = cf.channel().newPromise();
        cf.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
            }
        });
        proxy.connectFuture().addListener(f -> {
            if (f.isSuccess()) {
                ready.trySuccess();
            } else {
                ready.tryFailure(f.cause());
                cf.channel().close();
            }
        });
        return ready;
    }

    private Bootstrap bootstrap(EventLoop loop, Duration connectTimeout, Duration idle, Consumer<Channel> more) {
        return new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, transport.allocator())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        Math.max(1, connectTimeout.toMillis())))
                .handler(initializer(idle, more));
    }

    private static ChannelHandler initializer(Duration idle, Consumer<Channel> more) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(UPSTREAM_IDLE, new IdleTimeoutHandler(idle));
                more.accept(ch);
            }
        };
    }
}
