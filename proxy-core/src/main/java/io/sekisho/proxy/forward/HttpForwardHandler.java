package io.sekisho.proxy.forward;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.channel.ClientAddress;
import io.sekisho.proxy.http1.DrainEvent;
import io.sekisho.proxy.http1.RequestBodyTimeout;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * clientToProxy end of forwarded HTTP: starts a {@link ForwardExchange} for each
 * {@link ForwardRequest} from the router and hands it the request body. The same handler
 * serves absolute-form {@code http://} requests and, behind TLS termination (issue 3), the
 * requests inside an intercepted CONNECT (their ForwardRequest carries the tunnel context, and
 * the scheme https selects upstream TLS).
 */
public final class HttpForwardHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpForwardHandler.class);

    private final ProxyServices services;
    private final ProtocolSwitch switcher;
    private @Nullable ForwardExchange exchange;
    /** The client's address as audited: formatted once per connection, not per request. */
    private @Nullable String client;

    public HttpForwardHandler(ProxyServices services, ProtocolSwitch switcher) {
        this.services = services;
        this.switcher = switcher;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ForwardRequest r) {
            if (exchange != null && !exchange.done()) {
                // The pipelining gate lets one exchange through at a time; this is a bug, fail closed.
                log.error("a request arrived while an exchange was open; closing the connection");
                ctx.close();
                return;
            }
            if (client == null) {
                client = ClientAddress.of(ctx.channel());
            }
            ForwardExchange e = new ForwardExchange(services, ctx, client, r, switcher);
            exchange = e;
            e.start();
        } else if (msg instanceof HttpContent c) {
            if (exchange == null) {
                c.release();
            } else {
                exchange.onClientContent(c);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DrainEvent.INSTANCE && (exchange == null || exchange.done())) {
            ctx.close();
            return;
        }
        if (evt instanceof RequestBodyTimeout t) {
            if (exchange != null && !exchange.done()) {
                exchange.onRequestBodyTimeout(t.reason());
            } else {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            // Client I/O and TLS failures (an untrusted CA on the client, a reset): the
            // intercepted CONNECT's audit line records a failed handshake already.
            log.debug("client connection failed: {}", cause.toString());
        } else {
            // Only the class: a decoder message could quote a header value.
            log.warn("client connection failed: {}", cause.getClass().getName());
        }
        ctx.close();
    }
}
