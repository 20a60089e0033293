package io.sekisho.proxy.forward;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * One exchange's 1xx responses: the {@code 100 Continue} the proxy answers itself when the
 * policy must read a body the client holds back, and the origin's interim responses, relayed
 * (except its own 100, when the client already had one).
 */
final class InterimResponses {
    private boolean continueAnswered;

    /**
     * The client waits for 100 before sending the body the policy needs to see, so the proxy
     * answers it (RFC 9110 §10.1.1) and does not pass the expectation on. The policy asked for
     * the body, so the headers alone do not deny: a refused upload is never invited to send it.
     */
    void answerContinue(ChannelHandlerContext client, HttpRequest head) {
        head.headers().remove(HttpHeaderNames.EXPECT);
        continueAnswered = true;
        client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }

    /** True when {@code r} is interim (1xx, not 101): relayed to the client unless it is a 100 answered already. */
    boolean relayed(ChannelHandlerContext client, HttpResponse r) {
        int code = r.status().code();
        if (code < 100 || code >= 200 || code == 101) {
            return false;
        }
        if (!(code == 100 && continueAnswered)) {
            MessageHeads.prepareInterim(r);
            // Whole, so that the encoder is ready for the final response: the decoder's empty
            // LastHttpContent after an interim head is not relayed (ForwardExchange.onResponseContent).
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(),
                    Unpooled.EMPTY_BUFFER, r.headers(), EmptyHttpHeaders.INSTANCE));
        }
        return true;
    }
}
