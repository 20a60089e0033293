package io.sekisho.proxy.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.channel.ClientIdentity;
import io.sekisho.proxy.channel.ClientTls;
import io.sekisho.proxy.forward.ForwardRequest.TunnelContext;
import io.sekisho.proxy.upstream.UpstreamFailures;
import io.sekisho.proxy.upstream.UpstreamLocator.Located;
import io.sekisho.proxy.upstream.UpstreamPool;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * One forwarded request and its response: it connects and streams. {@link RequestAsking} holds
 * the policy conversation; until the decision the body waits in a queue that grows only by what
 * the policy asked to see. Allowed, it takes a parked or new upstream ({@link UpstreamLink}),
 * streams the request up with read-after-write backpressure, and {@link ResponseRelay} streams
 * the response down. Everything runs on the client's event loop.
 */
final class ForwardExchange implements RequestAsking.Outcome, UpstreamLink.Opening, ResponseRelay.Ends {
    enum Phase { DECIDING, CONNECTING, STREAMING, DRAINING_REQUEST, DONE }

    private final ProxyServices services;
    private final RuntimeState state;
    private final ForwardRequest request;
    private final HttpRequest head;
    private final RequestFacts facts;
    private final boolean requestHasBody;
    /** A WebSocket upgrade's way to a relay ({@link WebSocketUpgrade}), else null. */
    private final @Nullable ProtocolSwitch webSocket;
    private final ExchangeClient client;
    private final InterimResponses interim = new InterimResponses();
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>(2); // a GET: its last content, at most
    private final RequestAsking asking;
    private final ExchangeAudit audit;
    private Phase phase = Phase.DECIDING;
    private @Nullable Decision decision;
    private @Nullable UpstreamLink upstream;
    private @Nullable ResponseRelay response;
    private @Nullable LingeringClose linger;
    private boolean requestReceived;
    private boolean requestSent;

    ForwardExchange(ProxyServices services, ChannelHandlerContext ctx, String clientAddress,
            ForwardRequest request, ProtocolSwitch switcher) {
        this.services = services;
        this.state = services.state();
        this.request = request;
        this.head = request.head();
        this.client = new ExchangeClient(services, ctx, head);
        this.requestHasBody = MessageHeads.requestHasBody(head);
        this.webSocket = WebSocketUpgrade.prepareRequest(head, request.target(), requestHasBody) ? switcher : null;
        RequestTarget t = request.target();
        TunnelContext tunnel = request.tunnel();
        this.facts = new RequestFacts(request.requestId(), clientAddress,
                head.method().name(), t.scheme(), t.host(), t.port(), t.path(), t.query(),
                new NettyHeaders(head.headers()), null, false, tunnel == null ? null : tunnel.connectHost());
        this.audit = new ExchangeAudit(services, facts, head.headers(), request.arrived(), state.mode(),
                ClientIdentity.of(ctx.channel()));
        if (tunnel != null) {
            ClientTls.of(ctx.channel(), audit::tls);
        }
        this.asking = new RequestAsking(services, state, ctx, head, facts,
                tunnel == null ? null : tunnel.connectDecision(), requestHasBody, pending, interim, this);
    }

    boolean done() {
        return phase == Phase.DONE;
    }

    // ---- request phase ------------------------------------------------------------------

    void start() {
        asking.start();
    }

    @Override
    public boolean deciding() {
        return phase == Phase.DECIDING;
    }

    @Override
    public void decided(Decision d) {
        decision = d;
        if (!d.allowed()) {
            respond(d, true);
            return;
        }
        phase = Phase.CONNECTING;
        TunnelContext tunnel = request.tunnel();
        connect(tunnel != null ? tunnel.upstream()
                : Objects.requireNonNull(asking.located(), "the gate locates an allowed absolute-form request"));
    }

    @Override
    public void unreachable(Reason reason, String cause, @Nullable Decision wouldDeny) {
        if (wouldDeny != null) {
            decision = wouldDeny;
        }
        fail(reason, cause);
    }

    void onClientContent(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            // A malformed chunk: the request cannot be framed for the upstream any more. The
            // client is told so with a 400 while no response has started (issue 18 point 8).
            c.release();
            if (responseStarted() || phase == Phase.DRAINING_REQUEST || phase == Phase.DONE) {
                abort(Reason.BAD_REQUEST);
            } else {
                fail(Reason.BAD_REQUEST, "");
            }
            return;
        }
        requestReceived |= c instanceof LastHttpContent;
        switch (phase) {
            case DECIDING:
            case CONNECTING:
                pending.add(c);
                asking.offer(c);
                break;
            case STREAMING:
                writeUpstream(c);
                break;
            case DRAINING_REQUEST:
                drain(c);
                break;
            default:
                c.release();
        }
    }

    /**
     * Trailers arrive after the request's head and can carry what a header would (issue 18
     * point 3): the policy sees them, after it decided the request, before the last chunk goes
     * upstream. Refused, that chunk is dropped, so the origin never receives a complete request;
     * the client gets the block response if no response has started, and the connection closes
     * either way.
     */
    private boolean trailersRefused(LastHttpContent last) {
        if (last.trailingHeaders().isEmpty() || phase == Phase.DRAINING_REQUEST || phase == Phase.DONE) {
            return false;
        }
        Decision d = asking.trailers(allowed(), last);
        decision = d; // allowed: the request's decision, or in report mode what enforce would have done
        if (d.allowed()) {
            return false;
        }
        last.release();
        if (responseStarted()) {
            abort(null);
        } else {
            endUpstream(false);
            respond(d, false);
        }
        return true;
    }

    private void connect(Located located) {
        UpstreamLink.open(services, state.config().timeouts(), client.ctx().channel(), located, facts,
                this);
    }

    @Override
    public boolean wanted() {
        return phase == Phase.CONNECTING;
    }

    @Override
    public void opened(Channel ch, UpstreamPool.Key key, boolean absoluteForm) {
        UpstreamLink up = UpstreamLink.of(services.pool(), ch, key);
        ResponseRelay relay = new ResponseRelay(this, up, client, interim, head, asking, audit, webSocket);
        up.bind(relay);
        upstream = up;
        response = relay;
        phase = Phase.STREAMING;
        head.setUri(absoluteForm ? request.target().absoluteForm() : request.target().originForm());
        up.write(head).addListener(f -> {
            if (!f.isSuccess()) {
                abort(Reason.UPSTREAM_CONNECT_FAILED);
            }
        });
        while (!pending.isEmpty()) {
            writeUpstream(pending.poll());
        }
        up.flush();
        if (!requestReceived) {
            client.ctx().read();
        }
        up.read();
    }

    @Override
    public void failed(Throwable cause) {
        fail(UpstreamFailures.reasonFor(cause), UpstreamFailures.causeOf(cause));
    }

    private void writeUpstream(HttpContent c) {
        // Even a body-less request ends with its (empty) LastHttpContent: the encoder needs it
        // to be ready for the next request on this pooled connection.
        boolean last = c instanceof LastHttpContent;
        if (last && trailersRefused((LastHttpContent) c)) {
            return;
        }
        ResponseRelay relay = Objects.requireNonNull(response, "streaming");
        audit.up(c.content().readableBytes());
        Objects.requireNonNull(upstream, "streaming").writeAndFlush(c).addListener(f -> {
            if (!f.isSuccess()) {
                abort(Reason.UPSTREAM_CONNECT_FAILED);
            } else if (last) {
                requestSent = true;
                relay.awaitResponse(state.config().timeouts().upstreamResponse().toMillis());
            } else if (phase == Phase.STREAMING) {
                client.ctx().read();
            }
        });
    }

    // ---- how the response ended (ResponseRelay) -------------------------------------------

    @Override
    public boolean streaming() {
        return phase == Phase.STREAMING;
    }

    @Override
    public void responded(boolean upstreamKeepAlive) {
        boolean reusable = upstreamKeepAlive && requestSent && requestReceived;
        endUpstream(reusable);
        phase = Phase.DONE;
        audit.write(allowed());
        client.complete(requestReceived);
    }

    @Override
    public void failed(Reason reason) {
        fail(reason, "");
    }

    @Override
    public void broken() {
        abort(null);
    }

    @Override
    public void refused(Decision d) {
        decision = d;
        endUpstream(false); // the rest of the refused response is not read
        respond(d, false);
    }

    @Override
    public void switched() {
        phase = Phase.DONE;
        upstream = null;
        asking.release();
    }

    void onClientClosed() {
        abort(null);
    }

    /**
     * The body came too slowly or too late ({@code RequestBodyTimeoutHandler}): 408 while no
     * response has started, else just the close; one audit line with {@code reason} either way.
     */
    void onRequestBodyTimeout(Reason reason) {
        if (responseStarted() || phase == Phase.DONE || phase == Phase.DRAINING_REQUEST) {
            abort(reason);
            return;
        }
        if (decision == null) {
            decision = Decision.deny(reason, "");
        }
        fail(reason, "");
    }

    // ---- endings ------------------------------------------------------------------------

    /**
     * An allowed request that could not be completed: 502/504, and the connection closes.
     *
     * @param cause for the audit line's rule: what failed (an exception class), "" to keep the rule
     */
    private void fail(Reason reason, String cause) {
        Decision base = decision != null ? decision : Decision.deny(reason, "");
        Decision d = base.notCompleted(reason, cause);
        endUpstream(false);
        // Report mode: the audit line keeps what enforce would have done (issue 12 point 7).
        respond(d, base.auditedWith(d), false);
    }

    /** The block response for {@code d}; keep-alive only for a deny before anything went upstream. */
    private void respond(Decision d, boolean mayKeepAlive) {
        respond(d, d, mayKeepAlive);
    }

    private void respond(Decision d, Decision audited, boolean mayKeepAlive) {
        releasePending();
        phase = requestReceived ? Phase.DONE : Phase.DRAINING_REQUEST;
        audit.status(BlockResponses.statusFor(d.reason()).code());
        audit.write(audited);
        String user = ClientIdentity.of(client.ctx().channel()).user();
        boolean keepAlive = client.block(d, head, facts, user, mayKeepAlive && !requestHasBody);
        if (phase == Phase.DONE) {
            client.complete(keepAlive);
        } else if (!keepAlive) {
            lingering().start(() -> {
                if (phase == Phase.DRAINING_REQUEST) {
                    close();
                }
            });
        }
    }

    /** The rest of a refused request's body: read and dropped until it ends or there is too much. */
    private void drain(HttpContent c) {
        if (c instanceof LastHttpContent) {
            c.release();
            phase = Phase.DONE;
            client.complete(true);
        } else if (!lingering().drop(c)) {
            close();
        }
    }

    private LingeringClose lingering() {
        LingeringClose l = linger;
        if (l == null) {
            l = new LingeringClose(client.ctx());
            linger = l;
        }
        return l;
    }

    /** Something broke mid-exchange: close both sides; the audit line still gets written. */
    private void abort(@Nullable Reason reason) {
        if (phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.DRAINING_REQUEST) {
            close();
            return;
        }
        // Before the policy decided, an unfinished request is recorded as a bad one.
        Decision base = decision != null ? decision : Decision.deny(Reason.BAD_REQUEST, "");
        Decision d = reason == null ? base : base.notCompleted(reason, "");
        endUpstream(false);
        releasePending();
        audit.write(d);
        close();
    }

    private void close() {
        phase = Phase.DONE;
        client.ctx().close();
    }

    private void endUpstream(boolean reusable) {
        ResponseRelay relay = response;
        if (relay != null) {
            relay.release();
        }
        asking.release();
        UpstreamLink up = upstream;
        if (up != null) {
            upstream = null;
            up.release(reusable);
        }
    }

    private void releasePending() {
        while (!pending.isEmpty()) {
            pending.poll().release();
        }
    }

    private boolean responseStarted() {
        ResponseRelay relay = response;
        return relay != null && relay.started();
    }

    /** The request's decision, once the policy allowed it (streaming, trailers, the response). */
    @Override
    public Decision allowed() {
        return Objects.requireNonNull(decision, "decided before anything went upstream");
    }
}
