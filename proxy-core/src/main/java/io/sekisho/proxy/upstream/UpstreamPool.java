package io.sekisho.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.channel.LazyDeadline;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Kept-alive upstream HTTP connections per destination ({@code upstream.maxConnectionsPerHost},
 * {@code upstream.poolIdleTimeout}).
 *
 * <p>Threading: idle connections are kept per event loop, so a client always gets a connection
 * that lives on its own loop and the exchange never crosses threads (Netty's rule: the upstream
 * channel shares the client's loop). The limit is global: a counter per key. When the limit is
 * reached the acquirer waits (at most the connect timeout); a released connection goes to a
 * waiter on the same loop, otherwise it is closed so that the waiter's loop can open its own.
 */
public final class UpstreamPool {
    /** Name of the handler that watches a connection while it is parked (installed at its first parking). */
    public static final String POOLED_IDLE = "pooledIdle";

    /**
     * @param address where the TCP connection goes (the origin, an override, or the parent)
     * @param viaParent true when the connection goes through the parent proxy: plain HTTP
     *     requests are then sent absolute-form to it; https ones through a CONNECT to
     *     {@code tlsHost:port}
     * @param tlsHost the name for upstream TLS (SNI, verification), "" for plain HTTP
     * @param port the destination port (part of the key: through a parent, {@code address} is the parent's)
     */
    public record Key(InetSocketAddress address, boolean viaParent, String tlsHost, int port) {
        public boolean tls() {
            return !tlsHost.isEmpty();
        }

        // Written out: the generated ones dispatch through method handles, on every pool lookup.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && port == k.port && viaParent == k.viaParent && tlsHost.equals(k.tlsHost)
                    && address.equals(k.address);
        }

        @Override
        public int hashCode() {
            return ((address.hashCode() * 31 + Boolean.hashCode(viaParent)) * 31 + tlsHost.hashCode()) * 31 + port;
        }
    }

    /** Opens a new connection for {@code key} on {@code loop}. */
    @FunctionalInterface
    public interface Connector {
        ChannelFuture connect(EventLoop loop, Key key);
    }

    /** The pool is full and no connection was released in time. */
    public static final class PoolExhaustedException extends Exception {
        PoolExhaustedException(Key key) {
            super("no upstream connection free for " + key.address());
        }
    }

    private final Supplier<SekishoConfig.Upstream> settings;
    private final ConcurrentHashMap<Key, AtomicInteger> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, ConcurrentLinkedQueue<Waiter>> waiters = new ConcurrentHashMap<>();
    private final FastThreadLocal<Map<Key, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<Key, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };
    private final ChannelGroup all = new DefaultChannelGroup("upstreams", GlobalEventExecutor.INSTANCE);
    private final Http2Upstreams http2 = new Http2Upstreams(this);

    public UpstreamPool(Supplier<SekishoConfig.Upstream> settings) {
        this.settings = settings;
    }

    /** The shared HTTP/2 connections to origins that chose h2 (outside the per-host limit: one per key and loop). */
    public Http2Upstreams http2() {
        return http2;
    }

    private static final class Waiter {
        final EventLoop loop;
        final Key key;
        final Connector connector;
        final Promise<Channel> promise;
        @Nullable ScheduledFuture<?> timeout;

        Waiter(EventLoop loop, Key key, Connector connector, Promise<Channel> promise) {
            this.loop = loop;
            this.key = key;
            this.connector = connector;
            this.promise = promise;
        }
    }

    /**
     * A connection for {@code key} on {@code loop}: a parked one, a new one, or the next one
     * released. Must be called on {@code loop}.
     */
    public Future<Channel> acquire(EventLoop loop, Key key, Connector connector, long waitMillis) {
        Promise<Channel> promise = loop.newPromise();
        Waiter w = new Waiter(loop, key, connector, promise);
        if (!tryAcquire(w)) {
            waiters.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(w);
            w.timeout = loop.schedule(() -> {
                promise.tryFailure(new PoolExhaustedException(key));
            }, waitMillis, TimeUnit.MILLISECONDS);
        }
        return promise;
    }

    private boolean tryAcquire(Waiter w) {
        Channel parked = pollParked(w.key);
        if (parked != null) {
            return complete(w, parked);
        }
        AtomicInteger n = open.computeIfAbsent(w.key, k -> new AtomicInteger());
        int max = Math.max(1, settings.get().maxConnectionsPerHost());
        while (true) {
            int c = n.get();
            if (c >= max) {
                return false;
            }
            if (n.compareAndSet(c, c + 1)) {
                break;
            }
        }
        ChannelFuture cf = w.connector.connect(w.loop, w.key);
        all.add(cf.channel());
        cf.channel().closeFuture().addListener(f -> onClosed(cf.channel(), w.key));
        cf.addListener(f -> {
            if (f.isSuccess()) {
                if (!w.promise.trySuccess(cf.channel())) {
                    release(cf.channel(), w.key, true);
                }
            } else {
                w.promise.tryFailure(f.cause());
            }
        });
        return true;
    }

    private boolean complete(Waiter w, Channel ch) {
        if (w.timeout != null) {
            w.timeout.cancel(false);
        }
        if (!w.promise.trySuccess(ch)) {
            park(ch, w.key);
        }
        return true;
    }

    /**
     * A parked connection for {@code key} on the calling event loop, or null: the common case of
     * {@link #acquire} without its promise and waiter. Must be called on that loop.
     */
    public @Nullable Channel pollParked(Key key) {
        ArrayDeque<Channel> d = idle.get().get(key);
        while (d != null && !d.isEmpty()) {
            Channel ch = d.pollFirst();
            ParkedWatcher watcher = (ParkedWatcher) ch.pipeline().get(POOLED_IDLE);
            if (ch.isActive() && watcher != null && watcher.unpark()) {
                return ch;
            }
        }
        return null;
    }

    /**
     * Gives a connection back after an exchange. Only a connection whose request and response
     * both ended cleanly and that both sides keep alive is {@code reusable}; anything else is
     * closed, because leftover bytes would be read as the next response.
     */
    public void release(Channel ch, Key key, boolean reusable) {
        if (!reusable || !ch.isActive()) {
            ch.close();
            return;
        }
        Waiter w = nextWaiter(key);
        if (w == null) {
            park(ch, key);
        } else if (w.loop == ch.eventLoop()) {
            complete(w, ch);
        } else {
            ch.close();
            w.loop.execute(() -> retry(w));
        }
    }

    /**
     * A connection opened outside the pool for {@code key}, ready for HTTP/1.1 (an origin asked
     * for h2 that chose http/1.1): from now on counted, closed at shutdown and parked like one
     * of the pool's own, or handed to a waiter on its loop.
     */
    void adopt(Channel ch, Key key) {
        open.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        all.add(ch);
        ch.closeFuture().addListener(f -> onClosed(ch, key));
        release(ch, key, true);
    }

    /** Closed with the rest at shutdown (a shared HTTP/2 connection). */
    void track(Channel ch) {
        all.add(ch);
    }

    private void park(Channel ch, Key key) {
        ParkedWatcher watcher = (ParkedWatcher) ch.pipeline().get(POOLED_IDLE);
        if (watcher == null) {
            // Installed once and kept: a connection is parked and taken again per request, and
            // adding and removing a handler (with its timer) each time costs more than a flag.
            watcher = new ParkedWatcher();
            ChannelHandlerContext tls = ch.pipeline().context(SslHandler.class);
            if (tls != null) {
                // Behind TLS: records such as a late TLS 1.3 session ticket are not "the origin speaking".
                ch.pipeline().addAfter(tls.name(), POOLED_IDLE, watcher);
            } else {
                ch.pipeline().addFirst(POOLED_IDLE, watcher);
            }
        }
        watcher.park(settings.get().poolIdleTimeout().toMillis());
        idle.get().computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(ch);
        // Keep a read pending so that a close by the origin is seen while the connection is parked.
        ch.read();
    }

    private void onClosed(Channel ch, Key key) {
        open.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        ArrayDeque<Channel> d = idle.get().get(key);
        if (d != null) {
            d.remove(ch);
        }
        Waiter w = nextWaiter(key);
        if (w != null) {
            w.loop.execute(() -> retry(w));
        }
    }

    private @Nullable Waiter nextWaiter(Key key) {
        ConcurrentLinkedQueue<Waiter> q = waiters.get(key);
        if (q == null) {
            return null;
        }
        Waiter w;
        while ((w = q.poll()) != null) {
            if (!w.promise.isDone()) {
                return w;
            }
        }
        return null;
    }

    private void retry(Waiter w) {
        if (w.promise.isDone()) {
            return;
        }
        if (!tryAcquire(w)) {
            waiters.computeIfAbsent(w.key, k -> new ConcurrentLinkedQueue<>()).add(w);
        }
    }

    /** Connections open now, parked or in use (for tests and metrics). */
    public int openConnections() {
        return open.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Closes every upstream connection (shutdown). */
    public void closeAll() {
        all.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * Watches a connection while it is parked: closes it when parked longer than
     * {@code upstream.poolIdleTimeout} or when the origin speaks unasked (its bytes would be
     * read as the next response). Between parkings it passes everything through.
     */
    private static final class ParkedWatcher extends ChannelInboundHandlerAdapter {
        private LazyDeadline idle;
        private boolean parked;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            idle = new LazyDeadline(ctx.executor(), ctx::close);
        }

        void park(long idleMillis) {
            parked = true;
            idle.arm(idleMillis);
        }

        /** @return false when the connection is not parked (it cannot be handed out) */
        boolean unpark() {
            if (!parked) {
                return false;
            }
            parked = false;
            idle.disarm();
            return true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!parked) {
                ctx.fireChannelRead(msg);
                return;
            }
            ReferenceCountUtil.release(msg);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.cancel();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            idle.cancel();
        }
    }
}
