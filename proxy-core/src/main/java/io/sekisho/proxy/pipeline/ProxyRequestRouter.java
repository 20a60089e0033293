package io.sekisho.proxy.pipeline;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.audit.AuditRecords;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.connect.PipelineSwitch;
import io.sekisho.proxy.forward.ForwardRequest;
import io.sekisho.proxy.forward.ForwardRequest.TunnelContext;
import io.sekisho.proxy.http1.HostPortText;
import io.sekisho.proxy.forward.RequestTarget;
import io.sekisho.proxy.http1.PipeliningGate;
import io.sekisho.proxy.http1.StrictRequestDecoder;
import java.time.Instant;
import java.util.Objects;

/**
 * Looks at each request head once and sends it where it belongs:
 * <ul>
 *   <li>a head the decoder could not read: 414 (request line too long), 431 (headers too large
 *       or too many), 400 (anything else), then close;</li>
 *   <li>{@code CONNECT}: hands the connection to a {@code ConnectHandler} through the
 *       {@link PipelineSwitch} and removes itself;</li>
 *   <li>absolute-form {@code http://}: a {@link ForwardRequest} for the forwarder;</li>
 *   <li>origin-form (a request for the proxy itself): 400 NOT_A_PROXY_REQUEST.</li>
 * </ul>
 * Inside an intercepted tunnel ({@link #intercepted}) the roles change: origin-form is the normal
 * form, its Host must name the CONNECT host (HOST_MISMATCH, which stops domain fronting), and a
 * nested CONNECT is refused.
 */
public final class ProxyRequestRouter extends ChannelInboundHandlerAdapter {
    private final ProxyServices services;
    /** Null inside an intercepted tunnel, where a CONNECT is refused. */
    private final @Nullable PipelineSwitch pipelines;
    private final @Nullable TunnelContext tunnel;
    /** The current request was refused: drop its body until the connection closes. */
    private boolean discarding;

    private ProxyRequestRouter(ProxyServices services, @Nullable PipelineSwitch pipelines,
            @Nullable TunnelContext tunnel) {
        this.services = services;
        this.pipelines = pipelines;
        this.tunnel = tunnel;
    }

    /** The router of a plain client connection; a CONNECT switches the pipeline through {@code pipelines}. */
    public static ProxyRequestRouter forProxy(ProxyServices services, PipelineSwitch pipelines) {
        return new ProxyRequestRouter(services, Objects.requireNonNull(pipelines), null);
    }

    /** The router behind TLS termination of an intercepted CONNECT (issue 3). */
    public static ProxyRequestRouter intercepted(ProxyServices services, TunnelContext tunnel) {
        return new ProxyRequestRouter(services, null, Objects.requireNonNull(tunnel));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // AUTO_READ is off on client connections: ask for the first request.
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            discarding = false;
            route(ctx, req);
            if (msg instanceof HttpContent c) {
                content(ctx, c);
            }
        } else if (msg instanceof HttpContent c) {
            content(ctx, c);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void content(ChannelHandlerContext ctx, HttpContent c) {
        if (discarding) {
            c.release();
        } else {
            ctx.fireChannelRead(c);
        }
    }

    private void route(ChannelHandlerContext ctx, HttpRequest req) {
        Reason bad = malformed(req);
        if (bad != null) {
            Throwable cause = req.decoderResult().cause();
            String detail = cause instanceof StrictRequestDecoder.Refusal refusal ? refusal.problem() : "";
            refuse(ctx, req, Decision.deny(bad, detail), "", 0);
            return;
        }
        if (!services.admission().admit(services.state().config().audit().serveOnFailure())) {
            auditUnavailable(ctx, req);
            return;
        }
        if (req.method().equals(HttpMethod.CONNECT)) {
            if (tunnel != null) {
                refuse(ctx, req, Decision.deny(Reason.METHOD_NOT_ALLOWED, ""), tunnel.connectHost().value(),
                        tunnel.connectPort());
            } else {
                startConnect(ctx, req);
            }
            return;
        }
        String uri = req.uri();
        RequestTarget target;
        try {
            target = tunnel != null ? inTunnel(tunnel, req, uri) : absolute(uri);
        } catch (IllegalArgumentException e) {
            Reason r = tunnel == null && uri.startsWith("/") ? Reason.NOT_A_PROXY_REQUEST
                    : e instanceof HostMismatch ? Reason.HOST_MISMATCH : Reason.BAD_REQUEST;
            refuse(ctx, req, Decision.deny(r, ""), tunnel != null ? tunnel.connectHost().value() : "", 0);
            return;
        }
        ctx.fireChannelRead(new ForwardRequest(req, target, services.ids().next(), services.clock().instant(), tunnel));
    }

    private @Nullable Reason malformed(HttpRequest req) {
        DecoderResult r = req.decoderResult();
        if (r.isFailure()) {
            if (r.cause() instanceof StrictRequestDecoder.Refusal refusal) {
                return refusal.reason();
            }
            if (r.cause() instanceof TooLongHttpLineException) {
                return Reason.REQUEST_LINE_TOO_LONG;
            }
            return r.cause() instanceof TooLongHttpHeaderException ? Reason.HEADERS_TOO_LARGE : Reason.BAD_REQUEST;
        }
        // Netty limits the head's bytes; the number of lines is ours to limit (limits.maxHeaderCount).
        if (req.headers().size() > services.state().config().limits().maxHeaderCount()) {
            return Reason.HEADERS_TOO_LARGE;
        }
        return null;
    }

    private static RequestTarget absolute(String uri) {
        if (!RequestTarget.isAbsoluteForm(uri)) {
            throw new IllegalArgumentException("not absolute-form");
        }
        // https absolute-form (a client that lets its proxy do the TLS) is forwarded over
        // verified upstream TLS; the policy judges it like any absolute-form request.
        return RequestTarget.parseAbsolute(uri);
    }

    private static RequestTarget inTunnel(TunnelContext tunnel, HttpRequest req, String uri) {
        HostName connectHost = tunnel.connectHost();
        boolean absolute = RequestTarget.isAbsoluteForm(uri);
        RequestTarget t = absolute ? RequestTarget.parseAbsolute(uri)
                : RequestTarget.originForm("https", connectHost, tunnel.connectPort(), uri);
        String host = req.headers().get(HttpHeaderNames.HOST);
        // A Host header spelled exactly as the normalised CONNECT host (what clients send) needs no parsing.
        HostName named = host == null || host.equals(connectHost.value()) ? null
                : HostPortText.parse(host, tunnel.connectPort()).host();
        if (!t.host().equals(connectHost) || (named != null && !named.equals(connectHost))) {
            throw new HostMismatch();
        }
        return absolute ? RequestTarget.originForm("https", connectHost, tunnel.connectPort(), t.originForm()) : t;
    }

    private static final class HostMismatch extends IllegalArgumentException {
        HostMismatch() {
            super("Host does not name the CONNECT host");
        }
    }

    private void startConnect(ChannelHandlerContext ctx, HttpRequest req) {
        ChannelPipeline p = ctx.pipeline();
        PipeliningGate gate = p.get(PipeliningGate.class);
        if (gate != null && gate.holding()) {
            // A CONNECT pipelined behind another request: the bytes after it were already parsed as HTTP.
            refuse(ctx, req, Decision.deny(Reason.BAD_REQUEST, ""), "", 0);
            return;
        }
        Objects.requireNonNull(pipelines, "a CONNECT is refused inside a tunnel").toConnect(ctx);
        ctx.fireChannelRead(req);
        p.remove(this);
    }

    /**
     * Refuses a request while the audit cannot take lines: 503 AUDIT_UNAVAILABLE, counted by
     * {@code AuditAdmission} rather than audited (its line would wait behind those of admitted
     * exchanges and could push them out of the queue).
     */
    private void auditUnavailable(ChannelHandlerContext ctx, HttpRequest req) {
        discarding = true;
        Decision d = Decision.deny(Reason.AUDIT_UNAVAILABLE, "");
        String id = services.ids().next();
        boolean connect = req.method().equals(HttpMethod.CONNECT);
        ctx.writeAndFlush(connect ? services.blocks().forConnect(d, req.protocolVersion(), "", id, ctx.alloc())
                : services.blocks().forRequest(d, req, "", id, false, ctx.alloc()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Answers a request Sekisho will not handle, writes its audit line and closes the connection. */
    private void refuse(ChannelHandlerContext ctx, HttpRequest req, Decision d, String host, int port) {
        discarding = true;
        RuntimeState state = services.state();
        String id = services.ids().next();
        Instant now = services.clock().instant();
        String method = req.decoderResult().isFailure() ? "" : req.method().name();
        services.audit().write(AuditRecords.of(id, now, ctx.channel())
                .request(method, host, port, "").status(BlockResponses.statusFor(d.reason()).code())
                .decided(d, state.mode()));
        ctx.writeAndFlush(services.blocks().forRequest(d, req, host, id, false, ctx.alloc()))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
