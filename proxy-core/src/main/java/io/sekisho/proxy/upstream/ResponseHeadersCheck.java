package io.sekisho.proxy.upstream;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.channel.Http2Fields;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of an upstream HTTP/2 stream: the origin's header blocks are held to the
 * rules a client's are (RFC 9113 §8.2, {@link Http2Fields}) and to those of a response (§8.3.2:
 * one three-digit {@code :status}, no other pseudo-header; §8.1: interim heads before the final
 * one, which DATA follows, then at most trailers that end the stream; §8.6: no 101). A malformed
 * response never becomes an HTTP response for the policy or the client: the stream is reset with
 * PROTOCOL_ERROR and closed, and the exchange answers 502 (or closes, if its response had begun).
 */
public final class ResponseHeadersCheck extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ResponseHeadersCheck.class);
    private static final Set<String> RESPONSE_PSEUDO = Set.of(":status");

    private boolean finalHead;
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof Http2HeadersFrame h) {
            String problem = finalHead ? trailersProblem(h) : headProblem(h);
            if (problem != null) {
                refuse(ctx, msg, problem);
                return;
            }
            if (!finalHead) {
                finalHead = !informational(h.headers());
            }
        } else if (msg instanceof Http2DataFrame && !finalHead) {
            refuse(ctx, msg, "DATA before the final response head");
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** A response head: fields, one 3-digit :status, and a 1xx that neither ends the stream nor is 101. */
    static @Nullable String headProblem(Http2HeadersFrame h) {
        Http2Headers headers = h.headers();
        String fields = Http2Fields.problem(headers, RESPONSE_PSEUDO);
        if (fields != null) {
            return fields;
        }
        CharSequence status = headers.status();
        if (status == null || status.length() != 3 || !digits(status) || status.charAt(0) == '0') {
            return "no :status of three digits";
        }
        if ("101".contentEquals(status)) {
            return "101 in HTTP/2";
        }
        if (informational(headers) && h.isEndStream()) {
            return "an interim response that ends the stream";
        }
        return null;
    }

    /** After the final head: trailers only, which end the stream and carry no pseudo-header. */
    static @Nullable String trailersProblem(Http2HeadersFrame h) {
        if (!h.isEndStream()) {
            return "a header block after the final head that does not end the stream";
        }
        return Http2Fields.problem(h.headers(), Set.of());
    }

    private static boolean informational(Http2Headers headers) {
        CharSequence status = headers.status();
        return status != null && status.length() == 3 && status.charAt(0) == '1';
    }

    private static boolean digits(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, String problem) {
        refused = true;
        ReferenceCountUtil.release(msg);
        log.debug("upstream HTTP/2 response refused: {}", problem);
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
