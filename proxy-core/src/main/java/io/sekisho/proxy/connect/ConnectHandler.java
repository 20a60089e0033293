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
import io.sekisho.policy.Reason;
import io.sekisho.policy.Verdict;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.audit.AuditRecords;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.channel.ClientAddress;
import io.sekisho.proxy.forward.ForwardRequest.TunnelContext;
import io.sekisho.proxy.forward.HostPortText;
import io.sekisho.proxy.gate.PolicyGate;
import io.sekisho.proxy.http1.ClientHttpCodec;
import io.sekisho.proxy.tls.Interception;
import io.sekisho.proxy.upstream.UpstreamConnector;
import io.sekisho.proxy.upstream.UpstreamFailures;
import io.sekisho.proxy.upstream.UpstreamLocator.Located;
import io.sekisho.tls.ServerTls;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Owns a client connection from its CONNECT head until the tunnel is established (or, for an
 * intercepted CONNECT, until the TLS-terminating pipeline is installed): asks the policy
 * through the {@link PolicyGate} (by name, then, once the gate has located the destination off
 * the event loop, by address), connects (directly or through the parent), answers
 * {@code 200 Connection established}, then has the {@link PipelineSwitch} install the tunnel and removes
 * itself. A deny is answered from {@code BlockResponses} and audited at once.
 */
public final class ConnectHandler extends ChannelInboundHandlerAdapter {
    /** Bytes a client may send after its CONNECT head before the 200 (a TLS ClientHello fits). */
    private static final int MAX_EARLY_BYTES = 64 * 1024;

    private final ProxyServices services;
    private final PipelineSwitch pipelines;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private int earlyBytes;
    private RuntimeState state;
    private ConnectAttempt attempt;
    private boolean headEnded;
    private boolean finished;
    /** The decision so far: by name, then by address. */
    private Decision decision;
    private Channel upstream;
    /** Intercepted CONNECTs only: the host's leaf, minting since the CONNECT was allowed. */
    private CompletableFuture<ServerTls> leaf;
    private PolicyGate gate;
    /** Intercepted CONNECTs only: where the host was located (requests connect later, through the pool). */
    private Located interceptedUpstream;
    /** A deny to answer with a block page behind TLS ({@link BumpToDeny}), once the CONNECT head has ended. */
    private Decision bumpDenied;

    public ConnectHandler(ProxyServices services, PipelineSwitch pipelines) {
        this.services = services;
        this.pipelines = pipelines;
    }

    /** The CONNECT being handled. */
    private record ConnectAttempt(String requestId, Instant arrived, HttpVersion version, HostName host, int port,
            ConnectFacts facts, String userAgent) {
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
        state = services.state();
        String id = services.ids().next();
        Instant now = services.clock().instant();
        String client = ClientAddress.of(ctx.channel());
        HostPortText target;
        try {
            target = HostPortText.parse(req.uri(), -1);
        } catch (IllegalArgumentException e) {
            attempt = new ConnectAttempt(id, now, req.protocolVersion(), null, 0, null, userAgent(req));
            deny(ctx, Decision.deny(Reason.BAD_REQUEST, ""));
            return;
        }
        ConnectFacts facts = new ConnectFacts(client, target.host(), target.port());
        attempt = new ConnectAttempt(id, now, req.protocolVersion(), target.host(), target.port(), facts,
                userAgent(req));
        if (HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0) {
            // RFC 9110 §9.3.6: a CONNECT request has no content; bytes after it belong to the tunnel.
            deny(ctx, Decision.deny(Reason.BAD_REQUEST, ""));
            return;
        }
        gate = new PolicyGate(services, state, new Asking(ctx));
        gate.ask(Exchange.connect(facts));
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
                located(ctx, d, gate.located());
            }
        }

        @Override
        public void unreachable(Reason reason, String cause) {
            deny(ctx, Decision.deny(reason, cause));
        }
    }

    private void located(ChannelHandlerContext ctx, Decision d, Located located) {
        if (finished) {
            return;
        }
        Interception interception = services.tls().interception();
        if (TunnelMode.of(d) == TunnelMode.INTERCEPT && interception != null && state.config().tls() != null) {
            // Requests inside connect through the pool with upstream TLS, each after its own decision.
            leaf = interception.serverTlsFor(attempt.host());
            interceptedUpstream = located;
            established(ctx);
            return;
        }
        UpstreamConnector connector = new UpstreamConnector(services.transport());
        var timeouts = state.config().timeouts();
        Future<Channel> connected = located.viaParent()
                ? connector.connectViaParent(ctx.channel().eventLoop(), located.addresses().get(0), attempt.host(),
                        attempt.port(), timeouts.connect(), timeouts.idle())
                : connector.connectAny(ctx.channel().eventLoop(), located.addresses(), timeouts.connect(),
                        timeouts.idle(), ch -> { });
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                deny(ctx, failure(d, UpstreamFailures.reasonFor(f.cause())));
            } else if (finished) {
                connected.getNow().close();
            } else {
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
            bump(ctx);
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
        ctx.writeAndFlush(new DefaultFullHttpResponse(attempt.version(),
                new HttpResponseStatus(200, "Connection established")));
        if (interceptedUpstream != null) {
            installInterception(ctx);
            return;
        }
        installTunnel(ctx, new Tunnel(services, ctx.channel(), upstream, attempt.requestId(), attempt.arrived(),
                attempt.host(), attempt.port(), state.mode(), decision, attempt.userAgent()));
    }

    /** Hands the connection to the TLS termination of an intercepted CONNECT ({@link PipelineSwitch}). */
    private void installInterception(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        InterceptedConnect connect = new InterceptedConnect(services, ctx.channel(), attempt.requestId(),
                attempt.arrived(), attempt.host().value(), attempt.port(), state.mode(), decision, attempt.userAgent());
        pipelines.toInterception(ctx, state.config(), connect, leaf,
                new TunnelContext(attempt.host(), attempt.port(), interceptedUpstream, decision));
        while (!early.isEmpty()) {
            ctx.fireChannelRead(early.poll());
        }
        ctx.fireChannelReadComplete();
        p.remove(this);
        ctx.channel().read();
    }

    /** Hands both connections to a relayed tunnel ({@link PipelineSwitch}). */
    private void installTunnel(ChannelHandlerContext ctx, Tunnel tunnel) {
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

    private static Decision failure(Decision allowed, Reason reason) {
        return new Decision(Verdict.DENY, reason, allowed.rule(), false, false, allowed.evidence());
    }

    /** Answers the CONNECT with a block response, writes its audit line, and closes. */
    private void deny(ChannelHandlerContext ctx, Decision d) {
        if (finished) {
            return;
        }
        finished = true;
        if (upstream != null) {
            upstream.close();
        }
        String host = attempt.host() == null ? "" : attempt.host().value();
        services.audit().write(AuditRecords.of(attempt.requestId(), attempt.arrived(), ClientAddress.of(ctx.channel()))
                .connect(host, attempt.port()).status(BlockResponses.statusFor(d.reason()).code())
                .agent(attempt.userAgent(), "").endedAt(services.clock()).decided(d, state.mode()));
        if (!ctx.channel().isActive()) {
            return;
        }
        if (BumpToDeny.applies(services, state, attempt.host() != null, attempt.userAgent(), d)) {
            bumpDenied = d;
            if (headEnded) {
                bump(ctx);
            }
            return;
        }
        refuseConnect(ctx, d);
    }

    private void refuseConnect(ChannelHandlerContext ctx, Decision d) {
        String host = attempt.host() == null ? "" : attempt.host().value();
        ctx.writeAndFlush(services.blocks().forConnect(d, attempt.version(), host, attempt.requestId(),
                ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    /** Mints (off the loop) the leaf of the denied host, then answers 200 and serves the block page behind TLS. */
    private void bump(ChannelHandlerContext ctx) {
        Decision d = bumpDenied;
        services.tls().interception().serverTlsFor(attempt.host())
                .whenComplete((tls, err) -> ctx.executor().execute(() -> bumped(ctx, d, tls, err)));
    }

    private void bumped(ChannelHandlerContext ctx, Decision d, ServerTls tls, Throwable err) {
        if (!ctx.channel().isActive() || ctx.isRemoved()) {
            releaseEarly();
            return;
        }
        if (err != null) {
            releaseEarly();
            refuseConnect(ctx, d);
            return;
        }
        ctx.writeAndFlush(new DefaultFullHttpResponse(attempt.version(),
                new HttpResponseStatus(200, "Connection established")));
        pipelines.toDenyPage(ctx, state.config(), tls,
                new DenyPageHandler(services, d, attempt.host().value(), attempt.requestId()));
        while (!early.isEmpty()) {
            ctx.fireChannelRead(early.poll());
        }
        ctx.fireChannelReadComplete();
        ctx.pipeline().remove(this);
        ctx.channel().read();
    }

    private void releaseEarly() {
        while (!early.isEmpty()) {
            early.poll().release();
        }
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
        while (!early.isEmpty()) {
            early.poll().release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
