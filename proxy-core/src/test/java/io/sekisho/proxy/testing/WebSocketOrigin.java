package io.sekisho.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.sekisho.policy.Nullable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-process WebSocket origin on Netty's server codec (RFC 6455), over TLS or plain: a
 * request with {@code Upgrade: websocket} is upgraded and every text or binary message is echoed;
 * any other request gets {@code 200 "plain <method> <uri>"}, or what {@link #answer} says for it
 * (an SSM {@code StartSession} response, for example). Every request head is recorded, and the
 * first text message of each WebSocket (an SSM data channel's {@code OpenDataChannelInput}).
 */
public final class WebSocketOrigin implements AutoCloseable {
    private static final int MAX_MESSAGE = 4 * 1024 * 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final List<RecordingOrigin.Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<String> firstMessages = new CopyOnWriteArrayList<>();
    private volatile Function<FullHttpRequest, @Nullable String> answer = r -> null;

    public WebSocketOrigin(@Nullable SslContext tls) {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_MESSAGE),
                                new Heads(),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/").checkStartsWith(true).maxFramePayloadLength(MAX_MESSAGE)
                                        .build()),
                                new Echo());
                    }
                });
        this.server = b.bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    /** JSON to answer a non-upgrade request with (200, application/x-amz-json-1.1), or null for the plain answer. */
    public void answer(Function<FullHttpRequest, @Nullable String> f) {
        this.answer = f;
    }

    public List<RecordingOrigin.Recorded> requests() {
        return requests;
    }

    /** The first text message of each WebSocket, in order. */
    public List<String> firstMessages() {
        return firstMessages;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Records each head; answers a non-upgrade request itself, passes an upgrade on. */
    private final class Heads extends SimpleChannelInboundHandler<FullHttpRequest> {
        Heads() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            List<Map.Entry<String, String>> headers = List.copyOf(req.headers().entries());
            byte[] body = new byte[req.content().readableBytes()];
            req.content().getBytes(req.content().readerIndex(), body);
            requests.add(new RecordingOrigin.Recorded(0, req.method().name(), req.uri(), headers, body, body.length,
                    "", true));
            if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                ctx.fireChannelRead(req);
                return;
            }
            String json = answer.apply(req);
            req.release();
            String text = json != null ? json : "plain " + req.method() + " " + req.uri();
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, json != null ? "application/x-amz-json-1.1" : "text/plain")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            ctx.writeAndFlush(r);
        }
    }

    /** Echoes text and binary messages; records the first text message of the connection. */
    private final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        private boolean first = true;

        Echo() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame t && first) {
                firstMessages.add(t.text());
            }
            first = false;
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                ByteBuf copy = frame.content().retain();
                WebSocketFrame back = frame instanceof TextWebSocketFrame ? new TextWebSocketFrame(copy)
                        : new BinaryWebSocketFrame(copy);
                frame.release();
                // Backpressure: read on only once the echo is written.
                ctx.channel().config().setAutoRead(false);
                ctx.writeAndFlush(back).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        ctx.channel().config().setAutoRead(true);
                    } else {
                        ctx.close();
                    }
                });
            } else {
                frame.release();
            }
        }
    }
}
