package io.sekisho.proxy.connect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.tls.Interception;
import io.sekisho.tls.ServerTls;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Squid's bump-to-deny for a denied browser CONNECT ({@link BumpToDeny} decides when): mints the
 * denied host's leaf off the event loop, answers {@code 200 Connection established}, and hands the
 * connection to a TLS pipeline that serves the block page ({@link DenyPageHandler}). If the leaf
 * cannot be had, the CONNECT is refused the plain way. The audit line was written by the deny.
 */
final class DenyBump {
    private final ProxyServices services;
    private final PipelineSwitch pipelines;
    /** The client's bytes after the CONNECT head (its ClientHello), owned by {@code owner}. */
    private final ArrayDeque<ByteBuf> early;
    private final ChannelHandler owner;

    DenyBump(ProxyServices services, PipelineSwitch pipelines, ArrayDeque<ByteBuf> early, ChannelHandler owner) {
        this.services = services;
        this.pipelines = pipelines;
        this.early = early;
        this.owner = owner;
    }

    /** @param refuse the plain refusal, when no leaf can be minted */
    void start(ChannelHandlerContext ctx, RuntimeState state, HttpVersion version, HostName host, String requestId,
            Decision d, Runnable refuse) {
        Interception interception = Objects.requireNonNull(services.tls().interception(), "BumpToDeny checked it");
        interception.serverTlsFor(host).whenComplete((tls, err) -> ctx.executor().execute(
                () -> minted(ctx, state, version, host, requestId, d, refuse, tls, err)));
    }

    private void minted(ChannelHandlerContext ctx, RuntimeState state, HttpVersion version, HostName host,
            String requestId, Decision d, Runnable refuse, @Nullable ServerTls tls, @Nullable Throwable err) {
        if (!ctx.channel().isActive() || ctx.isRemoved()) {
            release(early);
            return;
        }
        if (err != null || tls == null) {
            release(early);
            refuse.run();
            return;
        }
        ctx.writeAndFlush(new DefaultFullHttpResponse(version, new HttpResponseStatus(200, "Connection established")));
        pipelines.toDenyPage(ctx, state.config(), tls, new DenyPageHandler(services, d, host.value(), requestId));
        while (!early.isEmpty()) {
            ctx.fireChannelRead(early.poll());
        }
        ctx.fireChannelReadComplete();
        ctx.pipeline().remove(owner);
        ctx.channel().read();
    }

    /** Releases held bytes nobody will read. */
    static void release(ArrayDeque<ByteBuf> early) {
        while (!early.isEmpty()) {
            early.poll().release();
        }
    }
}
