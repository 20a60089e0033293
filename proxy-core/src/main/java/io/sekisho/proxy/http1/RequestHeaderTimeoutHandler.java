package io.sekisho.proxy.http1;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.audit.AuditRecords;
import io.sekisho.proxy.channel.LazyDeadline;
import java.time.Duration;

/**
 * {@code timeouts.requestHeader}: from accept, or from the end of the previous exchange, to a
 * complete request head. A client that opened a connection and never finished its first request
 * head (slowloris) gets 408 and an audit line; a kept-alive connection on which no next request
 * comes is simply closed, as idle keep-alive connections are. Armed and disarmed once per
 * request, so the timer is a {@link LazyDeadline}. The end of each head is announced as a
 * {@link RequestHeadEvent} (for {@link HeadBudgetHandler}, which sits before the codec).
 */
public final class RequestHeaderTimeoutHandler extends ChannelDuplexHandler {
    private final ProxyServices services;
    private final Duration timeout;
    private LazyDeadline deadline;
    private boolean afterExchange;

    public RequestHeaderTimeoutHandler(ProxyServices services, Duration timeout) {
        this.services = services;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = new LazyDeadline(ctx.executor(), () -> expired(ctx));
        if (ctx.channel().isActive()) {
            arm();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            disarm();
            // Before the request goes on: answering it may complete the exchange at once, and
            // the head budget must see the head end before the exchange does.
            ctx.pipeline().fireUserEventTriggered(RequestHeadEvent.RECEIVED);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ExchangeEvent.COMPLETE) {
            afterExchange = true;
            arm();
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void arm() {
        if (!deadline.armed()) {
            deadline.arm(timeout.toMillis());
        }
    }

    private void disarm() {
        deadline.disarm();
    }

    private void expired(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (afterExchange) {
            ctx.close();
            return;
        }
        RuntimeState state = services.state();
        Decision d = Decision.deny(Reason.REQUEST_HEADER_TIMEOUT, "");
        String id = services.ids().next();
        services.audit().write(AuditRecords.of(id, services.clock().instant(), ctx.channel())
                .lasted(timeout.toMillis()).status(408).decided(d, state.mode()));
        ctx.writeAndFlush(services.blocks().forRequest(d, HttpVersion.HTTP_1_1, "", "", id, false, ctx.alloc()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.cancel();
        ctx.fireChannelInactive();
    }
}
