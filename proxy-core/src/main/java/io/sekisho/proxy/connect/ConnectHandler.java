package io.sekisho.proxy.connect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.ConnectFacts;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.audit.AuditRecords;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.channel.ClientAddress;
import io.sekisho.proxy.channel.ClientIdentity;
import io.sekisho.proxy.forward.ForwardRequest.TunnelContext;
import io.sekisho.proxy.http1.HostPortText;
import io.sekisho.proxy.gate.PolicyGate;
import io.sekisho.proxy.http1.ClientHttpCodec;
import io.sekisho.proxy.tls.Interception;
import io.sekisho.proxy.upstream.UpstreamConnector;
import io.sekisho.proxy.upstream.UpstreamFailures;
import io.sekisho.proxy.upstream.UpstreamLocator.Located;
import io.sekisho.tls.ServerTls;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a client connection from its CONNECT head until the tunnel is established (or, for an
 * intercepted CONNECT, until the TLS-terminating pipeline is installed): asks the policy
 * through the {@link PolicyGate} (by name, then, once the gate has located the destination off
 * the event loop, by address), connects (directly or through the parent), answers
 * {@code 200 Connection established}, then has the {@link PipelineSwitch} install the tunnel and removes
 * itself. A deny is answered from {@code BlockResponses} and audited at once.
 */
public final class ConnectHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);
    /** Bytes a client may send after its CONNECT head before the 200 (a TLS ClientHello fits). */
    private static final int MAX_EARLY_BYTES = 64 * 1024;

    private final ProxyServices services;
    private final PipelineSwitch pipelines;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private int earlyBytes;
    private @Nullable ConnectAttempt attempt;
    private boolean headEnded;
    private boolean finished;
    /** The decision so far: by name, then by address. */
    private @Nullable Decision decision;
    private @Nullable Channel upstream;
    /** Intercepted CONNECTs only: the host's leaf, minting since the CONNECT was allowed. */
    private @Nullable CompletableFuture<ServerTls> leaf;
    private @Nullable PolicyGate gate;
    /** Intercepted CONNECTs only: where the host was located (requests connect later, through the pool). */
    private @Nullable Located interceptedUpstream;
    /** A deny to answer with a block page behind TLS ({@link BumpToDeny}), once the CONNECT head has ended. */
    private @Nullable Decision bumpDenied;

    public ConnectHandler(ProxyServices services, PipelineSwitch pipelines) {
        this.services = services;
        this.pipelines = pipelines;
    }

    /**
     * The CONNECT being handled.
     *
     * @param state the configuration and policy it is judged by
     * @param host null only when the target did not parse (denied at once)
     * @param userAgent the CONNECT's User-Agent ("" when none): the audit line's, and {@link BumpToDeny}'s test
     */
    private record ConnectAttempt(RuntimeState state, String requestId, Instant arrived, HttpVersion version,
            @Nullable HostName host, int port, String userAgent) {
        /** The parsed target: every step after the gate has one. */
        HostName target() {
            return Objects.requireNonNull(host, "only a parsed CONNECT reaches the gate");
        }
    }

    /** The CONNECT being handled; every step after its head has one. */
    private ConnectAttempt attempt() {
        return Objects.requireNonNull(attempt, "set by the CONNECT head, which comes first");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            onHead(ctx, req);
        } else if (msg instanceof LastHttpContent last) {
            last.release();
            onHeadEnd(ctx);
        } else if (msg instanceof HttpContent c) {
            c.release();
        } else if (msg instanceof ByteBuf b) {
            holdEarly(ctx, b);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpRequest req) {
        RuntimeState state = services.state();
        String id = services.ids().next();
        Instant now = services.clock().instant();
        String client = ClientAddress.of(ctx.channel());
        HostPortText target;
        try {
            target = HostPortText.parse(req.uri(), -1);
        } catch (IllegalArgumentException e) {
            attempt = new ConnectAttempt(state, id, now, req.protocolVersion(), null, 0, userAgent(req));
            deny(ctx, Decision.deny(Reason.BAD_REQUEST, ""));
            return;
        }
        ConnectFacts facts = new ConnectFacts(client, target.host(), target.port());
        attempt = new ConnectAttempt(state, id, now, req.protocolVersion(), target.host(), target.port(),
                userAgent(req));
        if (HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0) {
            // RFC 9110 §9.3.6: a CONNECT request has no content; bytes after it belong to the tunnel.
            deny(ctx, Decision.deny(Reason.BAD_REQUEST, ""));
            return;
        }
        PolicyGate g = new PolicyGate(services, state, new Asking(ctx));
        gate = g;
        g.ask(ClientIdentity.on(Exchange.connect(facts), ctx.channel()));
    }

    /** The gate's view of this CONNECT. */
    private final class Asking implements PolicyGate.Host {
        private final ChannelHandlerContext ctx;

        Asking(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public EventExecutor executor() {
            return ctx.executor();
        }

        @Override
        public boolean asking() {
            return !finished;
        }

        @Override
        public void readBody(Exchange x, BodyNeed need) {
            deny(ctx, Decision.internalError()); // a CONNECT has no body to read
        }

        @Override
        public void decided(Exchange x, Decision d) {
            decision = d;
            if (!d.allowed()) {
                deny(ctx, d);
            } else {
                PolicyGate g = Objects.requireNonNull(gate, "the gate is asking");
                located(ctx, d, Objects.requireNonNull(g.located(), "an allowed CONNECT was located"));
            }
        }

        @Override
        public void unreachable(Reason reason, String cause, @Nullable Decision wouldDeny) {
            Decision failure = Decision.deny(reason, cause);
            deny(ctx, failure, wouldDeny != null ? wouldDeny : failure);
        }
    }

    private void located(ChannelHandlerContext ctx, Decision d, Located located) {
        if (finished) {
            return;
        }
        ConnectAttempt a = attempt();
        Interception interception = services.tls().interception();
        if (TunnelMode.of(d) == TunnelMode.INTERCEPT && interception != null && a.state().config().tls() != null) {
            // Requests inside connect through the pool with upstream TLS, each after its own decision.
            leaf = interception.serverTlsFor(a.target());
            interceptedUpstream = located;
            established(ctx);
            return;
        }
        UpstreamConnector connector = new UpstreamConnector(services.transport());
        var timeouts = a.state().config().timeouts();
        long connecting = System.nanoTime();
        Future<Channel> connected = located.viaParent()
                ? connector.connectViaParent(ctx.channel().eventLoop(), located.addresses().get(0), a.target(),
                        a.port(), timeouts.connect(), timeouts.idle())
                : connector.connectAny(ctx.channel().eventLoop(), located.addresses(), timeouts.connect(),
                        timeouts.idle(), ch -> { });
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                Decision failure = d.notCompleted(UpstreamFailures.reasonFor(f.cause()), "");
                deny(ctx, failure, d.auditedWith(failure));
            } else if (finished) {
                connected.getNow().close();
            } else {
                services.metrics().upstreamConnectTook(System.nanoTime() - connecting);
                upstream = connected.getNow();
                established(ctx);
            }
        });
    }

    private void onHeadEnd(ChannelHandlerContext ctx) {
        headEnded = true;
        // From here on the client's bytes belong to the tunnel: stop parsing them as HTTP. The
        // decoder hands what it already holds to us as ByteBufs when it is removed.
        ClientHttpCodec codec = ctx.pipeline().get(ClientHttpCodec.class);
        if (codec != null) {
            codec.removeInboundHandler();
        }
        if (bumpDenied != null) {
            bump(ctx, bumpDenied);
            return;
        }
        // Keep a read pending while we decide and connect: the client's first tunnel bytes (its
        // ClientHello) come after our 200, when the tunnel's handlers are in place, and bytes
        // sent earlier are held (MAX_EARLY_BYTES). Asking only after the 200 would drop and
        // re-add the socket's read interest: two epoll_ctl calls per CONNECT.
        ctx.read();
        established(ctx);
    }

    private void holdEarly(ChannelHandlerContext ctx, ByteBuf b) {
        earlyBytes += b.readableBytes();
        early.add(b);
        if (earlyBytes > MAX_EARLY_BYTES && !finished) {
            deny(ctx, Decision.deny(Reason.BAD_REQUEST, ""));
        }
    }

    /** Called when the upstream is connected and again when the CONNECT head has ended; acts on the later. */
    private void established(ChannelHandlerContext ctx) {
        if (!headEnded || (upstream == null && interceptedUpstream == null) || finished) {
            return;
        }
        finished = true;
        ConnectAttempt a = attempt();
        Decision allowed = Objects.requireNonNull(decision, "connected after an allow");
        ctx.writeAndFlush(new DefaultFullHttpResponse(a.version(),
                new HttpResponseStatus(200, "Connection established")));
        Located intercepted = interceptedUpstream;
        if (intercepted != null) {
            installInterception(ctx, a, allowed, intercepted);
            return;
        }
        Channel up = Objects.requireNonNull(upstream, "connected");
        installTunnel(ctx, up, new Tunnel(services, ctx.channel(), up, a.requestId(), a.arrived(),
                a.target(), a.port(), a.state().mode(), allowed, a.userAgent()));
    }

    /** Hands the connection to the TLS termination of an intercepted CONNECT ({@link PipelineSwitch}). */
    private void installInterception(ChannelHandlerContext ctx, ConnectAttempt a, Decision allowed,
            Located located) {
        ChannelPipeline p = ctx.pipeline();
        InterceptedConnect connect = new InterceptedConnect(services, ctx.channel(), a.requestId(),
                a.arrived(), a.target().value(), a.port(), a.state().mode(), allowed, a.userAgent());
        pipelines.toInterception(ctx, a.state().config(), connect,
                Objects.requireNonNull(leaf, "minting since the allow"),
                new TunnelContext(a.target(), a.port(), located, allowed));
        while (!early.isEmpty()) {
            ctx.fireChannelRead(early.poll());
        }
        ctx.fireChannelReadComplete();
        p.remove(this);
        ctx.channel().read();
    }

    /** Hands both connections to a relayed tunnel ({@link PipelineSwitch}). */
    private void installTunnel(ChannelHandlerContext ctx, Channel upstream, Tunnel tunnel) {
        ChannelPipeline p = ctx.pipeline();
        pipelines.toTunnel(ctx, tunnel);
        // Half-close is relayed as half-close: one side's FIN becomes a FIN to the other.
        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        upstream.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        while (!early.isEmpty()) {
            ctx.fireChannelRead(early.poll());
        }
        ctx.fireChannelReadComplete();
        p.remove(this);
        if (!upstream.isActive()) {
            tunnel.close();
            return;
        }
        ctx.channel().read();
        upstream.read();
    }

    /** Answers the CONNECT with a block response, writes its audit line, and closes. */
    private void deny(ChannelHandlerContext ctx, Decision d) {
        deny(ctx, d, d);
    }

    /**
     * @param audited what the audit line says: {@code d}, or in report mode the would-deny
     *     decision of a CONNECT that then could not reach its upstream (what enforce would have done)
     */
    private void deny(ChannelHandlerContext ctx, Decision d, Decision audited) {
        if (finished) {
            return;
        }
        finished = true;
        if (upstream != null) {
            upstream.close();
        }
        ConnectAttempt a = attempt();
        String host = a.host() == null ? "" : a.target().value();
        services.audit().write(AuditRecords.of(a.requestId(), a.arrived(), ctx.channel())
                .connect(host, a.port()).status(BlockResponses.statusFor(d.reason()).code())
                .agent(a.userAgent(), "").endedAt(services.clock()).decided(audited, a.state().mode()));
        if (!ctx.channel().isActive()) {
            return;
        }
        if (BumpToDeny.applies(services, a.state(), a.host() != null, a.userAgent(), d)) {
            bumpDenied = d;
            if (headEnded) {
                bump(ctx, d);
            }
            return;
        }
        refuseConnect(ctx, d);
    }

    private void refuseConnect(ChannelHandlerContext ctx, Decision d) {
        ConnectAttempt a = attempt();
        String host = a.host() == null ? "" : a.target().value();
        ctx.writeAndFlush(services.blocks().forConnect(d, a.version(), host, a.requestId(), ctx.alloc()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** The block page behind TLS for a denied browser CONNECT ({@link DenyBump}); a plain refusal if that fails. */
    private void bump(ChannelHandlerContext ctx, Decision d) {
        ConnectAttempt a = attempt();
        new DenyBump(services, pipelines, early, this).start(ctx, a.state(), a.version(), a.target(), a.requestId(),
                d, () -> refuseConnect(ctx, d));
    }

    private static String userAgent(HttpRequest req) {
        return req.headers().get(HttpHeaderNames.USER_AGENT, "");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished && attempt != null) {
            // The client gave up while we decided or connected: still one line for this CONNECT.
            deny(ctx, decision != null ? decision : Decision.deny(Reason.BAD_REQUEST, ""));
        }
        if (upstream != null) {
            // Still here, so the tunnel was never installed: the upstream connection is ours to close.
            upstream.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        DenyBump.release(early);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Logged once (STYLE.md rule 8): a CONNECT closed without a word is otherwise undiagnosable.
        // Only the class and where it was thrown: a message could quote the client's bytes.
        String at = "?";
        for (StackTraceElement e : cause.getStackTrace()) {
            if (e.getClassName().startsWith("io.sekisho.")) {
                at = e.toString();
                break;
            }
        }
        log.warn("CONNECT handling failed, closing: {} at {}", cause.getClass().getName(), at);
        ctx.close();
    }
}
