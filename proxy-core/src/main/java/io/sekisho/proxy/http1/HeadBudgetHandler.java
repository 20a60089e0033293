package io.sekisho.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.limits.HeadBudget;

/**
 * {@code limits.maxPendingHeadBytes}: charges what a connection receives while it is still
 * sending a request head to the budget all connections share, and gives it back when the head
 * is complete ({@link RequestHeadEvent}) or the connection closes. It sits before the HTTP codec,
 * which holds those bytes (its cumulation, the header lines parsed so far) until the head ends:
 * the codec bounds one head, this bounds all of them, so that thousands of parked partial heads
 * cannot take the heap while {@code timeouts.requestHeader} runs. From a complete head to the end
 * of its exchange ({@link ExchangeEvent#COMPLETE}) nothing is charged: the body streams with
 * backpressure. A connection whose next bytes would go over the budget gets 431
 * {@code PENDING_HEADS_LIMIT} and is closed; connections within the budget carry on.
 */
public final class HeadBudgetHandler extends ChannelInboundHandlerAdapter {
    private final ProxyServices services;
    private final HeadBudget budget;
    private final long max;
    private long charged;
    private boolean inHead = true;
    private boolean refused;

    public HeadBudgetHandler(ProxyServices services, long max) {
        this.services = services;
        this.budget = services.limits().headBudget();
        this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (inHead && msg instanceof ByteBuf b) {
            int n = b.readableBytes();
            if (!budget.tryCharge(n, max)) {
                b.release();
                refuse(ctx);
                return;
            }
            charged += n;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == RequestHeadEvent.RECEIVED) {
            giveBack();
            inHead = false;
        } else if (evt == ExchangeEvent.COMPLETE) {
            inHead = true;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void refuse(ChannelHandlerContext ctx) {
        refused = true;
        giveBack();
        // Nothing decodes this connection any more: at the close the codec would report the cut
        // head as a bad request too, in an audit line the throttle does not cover.
        ClientHttpCodec codec = ctx.pipeline().get(ClientHttpCodec.class);
        if (codec != null) {
            codec.removeInboundHandler();
        }
        Decision d = Decision.deny(Reason.PENDING_HEADS_LIMIT, "limits.maxPendingHeadBytes");
        String id = services.ids().next();
        services.limits().refuse(ctx.channel(), d, services.state().mode(), id);
        // Through the whole pipeline: the codec after this handler encodes the response.
        ctx.channel().writeAndFlush(services.blocks().forRequest(d, HttpVersion.HTTP_1_1, "", "", id, false,
                ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    private void giveBack() {
        budget.refund(charged);
        charged = 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        giveBack();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        giveBack();
    }
}
