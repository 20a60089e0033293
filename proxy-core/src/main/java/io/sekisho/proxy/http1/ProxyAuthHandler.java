package io.sekisho.proxy.http1;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.audit.AuditRecords;
import io.sekisho.proxy.auth.AuthOutcome;
import io.sekisho.proxy.auth.Authenticator;
import io.sekisho.proxy.channel.ClientIdentity;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * Proxy authentication ({@code auth}), before anything is routed or forwarded: takes the
 * {@code Proxy-Authorization} header off each request head (it never goes further, not even to
 * the policy), asks the {@link Authenticator}, and either hands the request on with the identity
 * set on the connection, or answers 407 (one {@code Proxy-Authenticate} per offered scheme), 429
 * or 503 and closes. A CONNECT is authenticated once; its tunnel keeps the identity.
 *
 * <p>While a verification runs on the authentication executor, the request and any body parts
 * already decoded are held here in order, and nothing more is read (AUTO_READ is off and no one
 * asks); they are handed on, or released, on the event loop when the answer comes.
 */
public final class ProxyAuthHandler extends ChannelInboundHandlerAdapter {
    private final ProxyServices services;
    private final Authenticator authenticator;
    /**
     * The identity a Negotiate exchange proved on this connection: later requests on it without
     * {@code Proxy-Authorization} keep it (connection-oriented, as Squid and IIS treat Negotiate,
     * and as browsers expect). Null until then.
     */
    private @Nullable Identity negotiated;
    /** Messages held while a verification runs; null when none runs. */
    private @Nullable ArrayDeque<Object> held;
    private boolean refused;

    public ProxyAuthHandler(ProxyServices services, Authenticator authenticator) {
        this.services = services;
        this.authenticator = Objects.requireNonNull(authenticator);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
        } else if (held != null) {
            held.add(msg);
        } else if (msg instanceof HttpRequest req && !req.decoderResult().isFailure()) {
            authenticate(ctx, req);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void authenticate(ChannelHandlerContext ctx, HttpRequest req) {
        List<String> values = req.headers().getAll(HttpHeaderNames.PROXY_AUTHORIZATION);
        req.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        if (values.isEmpty() && negotiated != null) {
            ClientIdentity.set(ctx.channel(), negotiated);
            ctx.fireChannelRead(req);
            return;
        }
        held = new ArrayDeque<>();
        held.add(req);
        authenticator.authenticate(values, addressOf(ctx)).whenComplete((outcome, error) -> {
            AuthOutcome o = error != null ? AuthOutcome.denied(Reason.AUTH_BACKEND_UNAVAILABLE) : outcome;
            if (ctx.executor().inEventLoop()) {
                finish(ctx, req, o);
            } else {
                ctx.executor().execute(() -> finish(ctx, req, o));
            }
        });
    }

    private void finish(ChannelHandlerContext ctx, HttpRequest req, AuthOutcome outcome) {
        ArrayDeque<Object> messages = held;
        if (messages == null) {
            // The handler was removed (the connection closed) while verifying: handlerRemoved released them.
            return;
        }
        held = null;
        Decision denial = outcome.denial();
        if (denial == null && ctx.channel().isActive()) {
            ClientIdentity.set(ctx.channel(), outcome.identity());
            negotiated = outcome.identity().scheme().equals("negotiate") ? outcome.identity() : null;
            for (Object m : messages) {
                ctx.fireChannelRead(m);
            }
            return;
        }
        refused = true;
        for (Object m : messages) {
            ReferenceCountUtil.release(m);
        }
        if (denial != null && ctx.channel().isActive()) {
            refuse(ctx, req, denial);
        }
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest req, Decision d) {
        String id = services.ids().next();
        boolean connect = req.method().equals(HttpMethod.CONNECT);
        HostPortText target = target(req, connect);
        String host = target == null ? "" : target.host().value();
        int port = target == null ? 0 : target.port();
        FullHttpResponse r = connect
                ? services.blocks().forConnect(d, req.protocolVersion(), host, id, ctx.alloc())
                : services.blocks().forRequest(d, req, host, id, false, ctx.alloc());
        services.audit().write(AuditRecords.of(id, services.clock().instant(), ctx.channel())
                .request(req.method().name(), host, port, "").status(r.status().code())
                .agent(req.headers().get(HttpHeaderNames.USER_AGENT, ""), "").decided(d, services.state().mode()));
        if (d.reason() != Reason.AUTH_THROTTLED && d.reason() != Reason.AUTH_BACKEND_UNAVAILABLE) {
            for (String scheme : authenticator.config().schemes()) {
                r.headers().add("Proxy-Authenticate", challenge(scheme));
            }
        }
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** The destination the audit line and the block page name: a CONNECT's authority, or an absolute URI's. */
    private static @Nullable HostPortText target(HttpRequest req, boolean connect) {
        String uri = req.uri();
        String authority = uri;
        if (!connect) {
            int scheme = uri.indexOf("://");
            if (scheme < 0) {
                return null;
            }
            int end = uri.indexOf('/', scheme + 3);
            authority = uri.substring(scheme + 3, end < 0 ? uri.length() : end);
        }
        try {
            return HostPortText.parse(authority, connect ? 443 : 80);
        } catch (IllegalArgumentException e) {
            // Unreadable: the line names no host, and the router would have refused it anyway.
            return null;
        }
    }

    private String challenge(String scheme) {
        // RFC 4559 §4.1: the Negotiate challenge carries no parameters.
        return scheme.equals("basic")
                ? "Basic realm=\"" + authenticator.config().realm() + "\", charset=\"UTF-8\""
                : "Negotiate";
    }

    private static String addressOf(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            for (Object m : held) {
                ReferenceCountUtil.release(m);
            }
            held = null;
        }
    }
}
