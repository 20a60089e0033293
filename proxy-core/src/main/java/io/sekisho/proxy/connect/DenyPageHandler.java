package io.sekisho.proxy.connect;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.policy.Decision;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.channel.ClientIdentity;

/**
 * The last stage of a denied CONNECT answered Squid's bump-to-deny way ({@link BumpToDeny}):
 * behind the TLS terminated with a minted leaf, answers the browser's first request with the
 * block page of the CONNECT's decision (its reason and request id), then closes. Nothing is
 * forwarded; the CONNECT's audit line was written when it was denied.
 */
final class DenyPageHandler extends ChannelInboundHandlerAdapter {
    private final ProxyServices services;
    private final Decision decision;
    private final String host;
    private final String requestId;
    private boolean answered;

    DenyPageHandler(ProxyServices services, Decision decision, String host, String requestId) {
        this.services = services;
        this.decision = decision;
        this.host = host;
        this.requestId = requestId;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                // AUTO_READ is off: ask for the request.
                ctx.read();
            } else {
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req && !answered) {
                answered = true;
                // The page names the user the CONNECT proved, as a forwarded request's page does.
                String user = ClientIdentity.of(ctx.channel()).user();
                ctx.writeAndFlush(services.blocks().forRequest(decision, req, host, requestId, user, false,
                        ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!answered) {
            ctx.read();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client that refuses the minted leaf (no CA installed) ends here: nothing to add.
        ctx.close();
    }
}
