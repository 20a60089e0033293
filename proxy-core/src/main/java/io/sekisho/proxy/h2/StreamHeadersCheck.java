package io.sekisho.proxy.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.audit.AuditRecords;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.forward.ForwardRequest.TunnelContext;

/**
 * The first handler of an HTTP/2 stream: a request whose header block is malformed (RFC 9113
 * §8.1.1, {@link RequestHeaderRules}) never becomes an HTTP request. The stream is reset with
 * PROTOCOL_ERROR, the refusal gets its audit line (BAD_REQUEST, or METHOD_NOT_ALLOWED for a
 * CONNECT inside interception), and nothing more of the stream is read.
 */
public final class StreamHeadersCheck extends ChannelInboundHandlerAdapter {
    private final ProxyServices services;
    private final TunnelContext tunnel;
    private boolean headSeen;
    private boolean refused;

    public StreamHeadersCheck(ProxyServices services, TunnelContext tunnel) {
        this.services = services;
        this.tunnel = tunnel;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof Http2HeadersFrame h) {
            String problem = headSeen ? RequestHeaderRules.trailersProblem(h.headers(), h.isEndStream())
                    : RequestHeaderRules.requestProblem(h.headers());
            if (problem != null) {
                refuse(ctx, h, problem);
                return;
            }
            headSeen = true;
        } else if (msg instanceof Http2StreamFrame && !headSeen) {
            refuse(ctx, msg, "DATA before the request headers");
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * A stream error Netty's decoder found (its own header, Content-Length and state checks): the
     * stream is reset with that error rather than the CANCEL its closing child channel would send,
     * and a refusal before any request head gets its audit line. The exchange, if one started,
     * ends when the channel closes.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof Http2Exception.StreamException e)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (!headSeen && !refused) {
            audit(ctx, null, "stream error " + e.error());
        }
        refused = true;
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(e.error()));
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, String problem) {
        refused = true;
        CharSequence method = msg instanceof Http2HeadersFrame h && !headSeen ? h.headers().method() : null;
        ReferenceCountUtil.release(msg);
        if (!headSeen) {
            audit(ctx, method, problem);
        }
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
    }

    private void audit(ChannelHandlerContext ctx, @Nullable CharSequence method, String problem) {
        boolean connect = method != null && "CONNECT".contentEquals(method);
        Decision d = Decision.deny(connect ? Reason.METHOD_NOT_ALLOWED : Reason.BAD_REQUEST, "h2: " + problem);
        services.audit().write(AuditRecords.of(services.ids().next(), services.clock().instant(), ctx.channel())
                .request(method == null ? "" : RequestHeaderRules.printable(method), tunnel.connectHost().value(),
                        tunnel.connectPort(), "")
                .status(BlockResponses.statusFor(d.reason()).code())
                .decided(d, services.state().mode()));
    }
}
