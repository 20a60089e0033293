package io.sekisho.e2e;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SniCompletionEvent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per connection: collects one request at a time as it arrived, answers {@code 100 Continue} when
 * asked, hands the complete request to the origin and writes its answer.
 *
 * <p>Netty's aggregator and expect-continue handler are deliberately not used: both rewrite the
 * request (the aggregator drops {@code Transfer-Encoding: chunked}, the expect handler removes
 * {@code Expect}), and the recording must show what the proxy actually forwarded.
 */
final class OriginChannelHandler extends SimpleChannelInboundHandler<HttpObject> {

    private final FakeAwsOrigin origin;
    private boolean tls;
    private String sni;
    private HttpRequest head;
    private List<Map.Entry<String, String>> headers;
    private boolean expectContinue;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    OriginChannelHandler(FakeAwsOrigin origin) {
        this.origin = origin;
    }

    /** The connection turned out to be TLS (see {@link TlsOrPlainDetector}). */
    void markTls() {
        tls = true;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SniCompletionEvent completion && completion.isSuccess()) {
            sni = completion.hostname();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
        if (message.decoderResult().isFailure()) {
            respond(ctx, FakeResponse.of(400, "text/plain", "bad request: " + message.decoderResult().cause()), false);
            return;
        }
        if (message instanceof HttpRequest request) {
            startRequest(ctx, request);
        }
        if (message instanceof HttpContent content && head != null) {
            byte[] chunk = new byte[content.content().readableBytes()];
            content.content().getBytes(content.content().readerIndex(), chunk);
            body.writeBytes(chunk);
            if (content instanceof LastHttpContent last) {
                finishRequest(ctx, last);
            }
        }
    }

    private void startRequest(ChannelHandlerContext ctx, HttpRequest request) {
        head = request;
        body.reset();
        headers = new ArrayList<>();
        request.headers().forEach(h -> headers.add(Map.entry(h.getKey(), h.getValue())));
        expectContinue = HttpUtil.is100ContinueExpected(request) && origin.fault() == FakeAwsOrigin.Fault.NONE;
        if (expectContinue) {
            // RFC 9110 §10.1.1: the client may wait for this before it sends the body.
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    private void finishRequest(ChannelHandlerContext ctx, LastHttpContent last) {
        List<Map.Entry<String, String>> trailers = new ArrayList<>();
        last.trailingHeaders().forEach(h -> trailers.add(Map.entry(h.getKey(), h.getValue())));
        RecordedRequest recorded = new RecordedRequest(origin.nextSequence(), origin.clock().instant(), tls, sni,
                head.method().name(), head.uri(), head.protocolVersion().text(), headers, body.toByteArray(),
                trailers, expectContinue);
        boolean keepAlive = HttpUtil.isKeepAlive(head);
        head = null;
        FakeResponse response = origin.handle(recorded);
        switch (origin.fault()) {
            case NO_RESPONSE -> { }
            case CLOSE_WITHOUT_RESPONSE -> ctx.close();
            case NONE -> respond(ctx, response, keepAlive);
        }
    }

    private static void respond(ChannelHandlerContext ctx, FakeResponse response, boolean keepAlive) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
        response.headers().forEach(h -> out.headers().add(h.getKey(), h.getValue()));
        if (!out.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            out.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        }
        if (!keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, "close");
        }
        var written = ctx.writeAndFlush(out);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Handshake failures are expected in the bad-certificate fixtures (the client hangs up), so
        // they are kept for diagnosis rather than thrown.
        origin.connectionError(cause);
        ctx.close();
    }
}
