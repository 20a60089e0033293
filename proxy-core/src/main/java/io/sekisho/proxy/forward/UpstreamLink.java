package io.sekisho.proxy.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.Future;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.RequestFacts;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.upstream.UpstreamLocator.Located;
import io.sekisho.proxy.upstream.UpstreamPool;
import java.util.Objects;

/**
 * The pooled upstream connection (or, for a client that speaks h2, the HTTP/2 stream on the
 * origin's shared connection) one exchange streams over, bound to it from {@link #bind} to
 * {@link #release}: the channel, the handler that hands its response to the exchange and keeps
 * its response deadline, and the pool key it goes back under.
 */
final class UpstreamLink {
    private final UpstreamPool pool;
    private final Channel channel;
    private final UpstreamResponseHandler handler;
    private final UpstreamPool.Key key;
    private @Nullable ResponseRelay relay;

    private UpstreamLink(UpstreamPool pool, Channel channel, UpstreamResponseHandler handler, UpstreamPool.Key key) {
        this.pool = pool;
        this.channel = channel;
        this.handler = handler;
        this.key = key;
    }

    /** Where {@link #open} reports to. All calls arrive on the exchange's event loop. */
    interface Opening {
        /** False once the exchange no longer waits for a connection (a connection then goes back to the pool). */
        boolean wanted();

        /** @param absoluteForm the request goes absolute-form (plain HTTP through the parent proxy) */
        void opened(Channel ch, UpstreamPool.Key key, boolean absoluteForm);

        void failed(Throwable cause);
    }

    /**
     * A connection to {@code located} for the request {@code facts}: for a client that speaks h2,
     * a stream on the origin's shared h2 connection when the origin chooses h2
     * ({@link UpstreamStreams}); else a parked one at once, or a new one or the next released
     * (UpstreamHttp).
     *
     * @param client the client's connection, or its HTTP/2 stream; the upstream shares its event loop
     */
    static void open(ProxyServices services, SekishoConfig.Timeouts timeouts, Channel client, Located located,
            RequestFacts facts, Opening to) {
        boolean https = facts.scheme().equals("https");
        UpstreamPool.Key key = new UpstreamPool.Key(located.addresses().get(0), located.viaParent(),
                https ? facts.host().value() : "", facts.port());
        // Through a parent, plain HTTP goes absolute-form to it; https goes inside a CONNECT.
        boolean absoluteForm = located.viaParent() && !https;
        EventLoop loop = client.eventLoop();
        if (!UpstreamStreams.offered(services, client, key)) {
            pooled(services, timeouts, loop, key, absoluteForm, to);
            return;
        }
        Future<Channel> f = UpstreamStreams.open(services, timeouts, loop, key);
        f.addListener(done -> {
            Channel stream = f.getNow();
            if (!done.isSuccess()) {
                if (to.wanted()) {
                    to.failed(done.cause());
                }
            } else if (stream == null) {
                pooled(services, timeouts, loop, key, absoluteForm, to);
            } else if (!to.wanted()) {
                stream.close();
            } else {
                to.opened(stream, key, false);
            }
        });
    }

    private static void pooled(ProxyServices services, SekishoConfig.Timeouts timeouts, EventLoop loop,
            UpstreamPool.Key key, boolean absoluteForm, Opening to) {
        if (!to.wanted()) {
            return;
        }
        Channel parked = services.pool().pollParked(key);
        if (parked != null) {
            to.opened(parked, key, absoluteForm);
            return;
        }
        Future<Channel> f = UpstreamHttp.acquire(services, timeouts, loop, key);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                if (to.wanted()) {
                    to.failed(done.cause());
                }
            } else if (!to.wanted()) {
                services.pool().release(f.getNow(), key, true);
            } else {
                to.opened(f.getNow(), key, absoluteForm);
            }
        });
    }

    /** {@code ch}, acquired from {@code pool} under {@code key}, for one exchange. */
    static UpstreamLink of(UpstreamPool pool, Channel ch, UpstreamPool.Key key) {
        UpstreamResponseHandler handler = Objects.requireNonNull(ch.pipeline().get(UpstreamResponseHandler.class),
                "UpstreamHttp installs it on every upstream connection");
        return new UpstreamLink(pool, ch, handler, key);
    }

    /** From now on the connection's response goes to {@code r}. */
    void bind(ResponseRelay r) {
        relay = r;
        handler.bind(r);
    }

    ChannelFuture write(Object msg) {
        return channel.write(msg);
    }

    ChannelFuture writeAndFlush(Object msg) {
        return channel.writeAndFlush(msg);
    }

    void flush() {
        channel.flush();
    }

    /**
     * Read-after-write: the next read only once the client took what came. On an HTTP/2 stream
     * the read gives back to the origin's window what was read before, and Netty writes that
     * WINDOW_UPDATE without flushing it when a read is already under way: it is flushed here,
     * else the origin waits for it until some other frame flushes the connection.
     */
    void read() {
        channel.read();
        if (channel instanceof Http2StreamChannel) {
            channel.flush();
        }
    }

    /** The request has been sent: the response head must begin within {@code timeoutMillis}. */
    void awaitResponse(long timeoutMillis) {
        handler.awaitResponse(timeoutMillis);
    }

    /** The final response head arrived. */
    /** @return nanoseconds since the request was sent (the upstream's response latency), 0 if unknown */
    long responseStarted() {
        return handler.responseStarted();
    }

    /** The connection leaves the pool's exchanges for good (a WebSocket relay owns it and closes it). */
    void unbind() {
        ResponseRelay r = relay;
        if (r != null) {
            handler.unbind(r);
            relay = null;
        }
    }

    Channel channel() {
        return channel;
    }

    /**
     * Unbinds and gives the connection back: parked for the next exchange only when
     * {@code reusable}. An HTTP/2 stream is closed (a RST_STREAM CANCEL if it had not ended).
     */
    void release(boolean reusable) {
        ResponseRelay r = relay;
        if (r != null) {
            handler.unbind(r);
        }
        if (channel instanceof Http2StreamChannel) {
            channel.close();
            return;
        }
        pool.release(channel, key, reusable);
    }
}
