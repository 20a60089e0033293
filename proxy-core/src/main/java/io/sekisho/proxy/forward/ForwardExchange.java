package io.sekisho.proxy.forward;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.Verdict;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.channel.ClientTls;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.channel.ClientAddress;
import io.sekisho.proxy.forward.ForwardRequest.TunnelContext;
import io.sekisho.proxy.http1.ExchangeEvent;
import io.sekisho.proxy.upstream.UpstreamFailures;
import io.sekisho.proxy.upstream.UpstreamLocator.Located;
import io.sekisho.proxy.upstream.UpstreamPool;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One forwarded request and its response. The request phase decides before anything is sent
 * upstream (name, body if the policy asks, address); the body meanwhile waits in a queue that
 * only grows by what the policy asked to see, because the client is read only on demand. Then
 * both directions stream with read-after-write backpressure until the response ends.
 * Everything runs on the client's event loop (pooled upstream connections live on it too).
 */
final class ForwardExchange implements RequestAsking.Outcome {
    enum Phase { DECIDING, CONNECTING, STREAMING, DRAINING_REQUEST, DONE }

    /** How long, and how much of a refused request's body, a lingering close reads and drops. */
    private static final long LINGER_MILLIS = 2000;
    private static final long LINGER_BYTES = 1 << 20;

    private final ProxyServices services;
    private final RuntimeState state;
    private final ChannelHandlerContext client;
    private final ForwardRequest request;
    private final HttpRequest head;
    private final RequestFacts facts;
    private final boolean requestHasBody;
    private final HttpVersion clientVersion;
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
    private Phase phase = Phase.DECIDING;
    private @Nullable Decision decision;
    private final RequestAsking asking;
    private @Nullable ResponseObserver observer;
    private boolean clientKeepAlive;
    private boolean requestReceived;
    private boolean requestSent;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private @Nullable Channel upstream;
    private @Nullable UpstreamResponseHandler upstreamHandler;
    private UpstreamPool.@Nullable Key poolKey;
    private final ExchangeAudit audit;
    /** Body bytes read and dropped after a refusal (a lingering close). */
    private long lingered;

    /** @param clientAddress the client's address as audited ({@link ClientAddress#of}) */
    ForwardExchange(ProxyServices services, ChannelHandlerContext client, String clientAddress,
            ForwardRequest request) {
        this.services = services;
        this.state = services.state();
        this.client = client;
        this.request = request;
        this.head = request.head();
        this.requestHasBody = MessageHeads.requestHasBody(head);
        this.clientKeepAlive = HttpUtil.isKeepAlive(head);
        this.clientVersion = head.protocolVersion();
        MessageHeads.prepareRequest(head, request.target(), requestHasBody);
        RequestTarget t = request.target();
        TunnelContext tunnel = request.tunnel();
        this.facts = new RequestFacts(request.requestId(), clientAddress,
                head.method().name(), t.scheme(), t.host(), t.port(), t.path(), t.query(),
                new NettyHeaders(head.headers()), null, false, tunnel == null ? null : tunnel.connectHost());
        this.audit = new ExchangeAudit(services, facts, request.arrived(), state.mode());
        if (request.tunnel() != null) {
            ClientTls.of(client.channel(), audit::tls);
        }
        this.asking = new RequestAsking(services, state, client, head, facts,
                tunnel == null ? null : tunnel.connectDecision(), requestHasBody, pending, this);
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
            refuse(d);
            return;
        }
        phase = Phase.CONNECTING;
        TunnelContext tunnel = request.tunnel();
        connect(tunnel != null ? tunnel.upstream()
                : Objects.requireNonNull(asking.located(), "the gate locates an allowed absolute-form request"));
    }

    @Override
    public void unreachable(Reason reason, String cause) {
        fail(reason, cause);
    }

    void onClientContent(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            // A malformed chunk: the request cannot be framed for the upstream any more. The
            // client is told so with a 400 while no response has started (issue 18 point 8).
            c.release();
            if (responseStarted || phase == Phase.DRAINING_REQUEST || phase == Phase.DONE) {
                abort(Reason.BAD_REQUEST);
            } else {
                fail(Reason.BAD_REQUEST);
            }
            return;
        }
        boolean last = c instanceof LastHttpContent;
        requestReceived |= last;
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
                lingered += c.content().readableBytes();
                c.release();
                if (last) {
                    completeClient(true);
                } else if (lingered > LINGER_BYTES) {
                    phase = Phase.DONE;
                    client.close();
                } else {
                    client.read();
                }
                break;
            default:
                c.release();
        }
    }

    /**
     * Trailers arrive after the request's head and can carry what a header would (issue 18
     * point 3): the policy sees them, after it decided the request, before the last chunk goes
     * upstream. Refused, that chunk is
     * dropped, so the origin never receives a complete request; the client gets the block
     * response if no response has started, and the connection closes either way.
     */
    private boolean trailersRefused(LastHttpContent last) {
        if (last.trailingHeaders().isEmpty() || phase == Phase.DRAINING_REQUEST || phase == Phase.DONE) {
            return false;
        }
        Decision d = asking.trailers(allowed(), last);
        if (d.allowed()) {
            decision = d; // the request's decision, or in report mode what enforce would have done
            return false;
        }
        last.release();
        decision = d;
        if (responseStarted) {
            abort(null);
        } else {
            endUpstream(false);
            respond(d, false);
        }
        return true;
    }

    private void connect(Located located) {
        boolean https = facts.scheme().equals("https");
        UpstreamPool.Key key = new UpstreamPool.Key(located.addresses().get(0), located.viaParent(),
                https ? facts.host().value() : "", facts.port());
        // Through a parent, plain HTTP goes absolute-form to it; https goes inside a CONNECT.
        boolean absoluteForm = located.viaParent() && !https;
        poolKey = key;
        Channel parked = services.pool().pollParked(key);
        if (parked != null) {
            attach(parked, absoluteForm);
            return;
        }
        Future<Channel> f = UpstreamHttp.acquire(services, state.config().timeouts(), client.channel().eventLoop(),
                key);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                if (phase == Phase.CONNECTING) {
                    fail(UpstreamFailures.reasonFor(done.cause()), UpstreamFailures.causeOf(done.cause()));
                }
            } else if (phase != Phase.CONNECTING) {
                services.pool().release(f.getNow(), key, true);
            } else {
                attach(f.getNow(), absoluteForm);
            }
        });
    }

    private void attach(Channel ch, boolean viaParent) {
        upstream = ch;
        phase = Phase.STREAMING;
        UpstreamResponseHandler handler = Objects.requireNonNull(ch.pipeline().get(UpstreamResponseHandler.class),
                "UpstreamHttp installs it on every upstream connection");
        upstreamHandler = handler;
        handler.bind(this);
        head.setUri(viaParent ? request.target().absoluteForm() : request.target().originForm());
        ch.write(head).addListener(this::upstreamWritten);
        while (!pending.isEmpty()) {
            writeUpstream(pending.poll());
        }
        ch.flush();
        if (!requestReceived) {
            client.read();
        }
        ch.read();
    }

    private void writeUpstream(HttpContent c) {
        // Even a body-less request ends with its (empty) LastHttpContent: the encoder needs it
        // to be ready for the next request on this pooled connection.
        boolean last = c instanceof LastHttpContent;
        if (last && trailersRefused((LastHttpContent) c)) {
            return;
        }
        audit.up(c.content().readableBytes());
        Objects.requireNonNull(upstream, "streaming").writeAndFlush(c).addListener(f -> {
            if (!f.isSuccess()) {
                abort(Reason.UPSTREAM_CONNECT_FAILED);
            } else if (last) {
                requestSent = true;
                startResponseTimer();
            } else if (phase == Phase.STREAMING) {
                client.read();
            }
        });
    }

    private void upstreamWritten(Future<? super Void> f) {
        if (!f.isSuccess()) {
            abort(Reason.UPSTREAM_CONNECT_FAILED);
        }
    }

    private void startResponseTimer() {
        if (responseStarted || phase != Phase.STREAMING) {
            return;
        }
        long timeout = state.config().timeouts().upstreamResponse().toMillis();
        Objects.requireNonNull(upstreamHandler, "streaming").awaitResponse(timeout);
    }

    /** {@code timeouts.upstreamResponse} passed after the request was sent, with no response head. */
    void onResponseTimeout() {
        if (phase == Phase.STREAMING && !responseStarted) {
            fail(Reason.UPSTREAM_TIMEOUT);
        }
    }

    // ---- response phase -----------------------------------------------------------------

    void onResponseHead(HttpResponse r) {
        if (phase != Phase.STREAMING) {
            return;
        }
        Channel up = Objects.requireNonNull(upstream, "streaming");
        int code = r.status().code();
        if (code >= 100 && code < 200 && code != 101) {
            if (!(code == 100 && asking.answeredContinue())) {
                MessageHeads.prepareInterim(r);
                // Whole, so that the encoder is ready for the final response: the decoder's
                // empty LastHttpContent after an interim head is not relayed (see onResponseContent).
                client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(),
                        Unpooled.EMPTY_BUFFER, r.headers(), EmptyHttpHeaders.INSTANCE));
            }
            up.read();
            return;
        }
        responseStarted = true;
        audit.status(code);
        Objects.requireNonNull(upstreamHandler, "streaming").responseStarted();
        upstreamKeepAlive = HttpUtil.isKeepAlive(r);
        ResponseObserver o = asking.observer(allowed());
        observer = o;
        o.onHead(r, MessageHeads.responseHasNoBody(head.method(), r));
        clientKeepAlive = MessageHeads.prepareResponse(r, head.method(), clientVersion,
                clientKeepAlive && !services.draining());
        // Not flushed here: the body usually came in the same read, and head and body then
        // leave in one TLS record and one syscall (flushed by the last content or by
        // flushClient at the end of the upstream read).
        client.write(r).addListener(f -> {
            if (!f.isSuccess()) {
                abort(null);
            } else if (phase == Phase.STREAMING) {
                up.read();
            }
        });
    }

    void onResponseContent(HttpContent c) {
        if (phase != Phase.STREAMING || !responseStarted) {
            c.release();
            return;
        }
        boolean last = c instanceof LastHttpContent;
        Channel up = Objects.requireNonNull(upstream, "streaming");
        audit.down(c.content().readableBytes());
        Objects.requireNonNull(observer, "the response started").onContent(c.content(), last);
        ChannelFuture written = last ? client.writeAndFlush(c) : client.write(c);
        written.addListener(f -> {
            if (!f.isSuccess()) {
                abort(null);
            } else if (!last && phase == Phase.STREAMING) {
                up.read();
            }
        });
        if (last) {
            finish();
        }
    }

    /** The end of one read from the upstream: what it brought goes to the client in one flush. */
    void flushClient() {
        if (phase == Phase.STREAMING) {
            client.flush();
        }
    }

    void onUpstreamClosed() {
        if (phase != Phase.STREAMING) {
            return;
        }
        if (!responseStarted) {
            fail(Reason.UPSTREAM_PROTOCOL_ERROR);
        } else {
            abort(null);
        }
    }

    void onClientClosed() {
        abort(null);
    }

    /**
     * The body came too slowly or too late ({@code RequestBodyTimeoutHandler}): 408 while no
     * response has started, else just the close; one audit line with {@code reason} either way.
     */
    void onRequestBodyTimeout(Reason reason) {
        if (responseStarted || phase == Phase.DONE || phase == Phase.DRAINING_REQUEST) {
            abort(reason);
            return;
        }
        if (decision == null) {
            decision = Decision.deny(reason, "");
        }
        fail(reason);
    }

    // ---- endings ------------------------------------------------------------------------

    private void finish() {
        boolean reusable = upstreamKeepAlive && requestSent && requestReceived;
        endUpstream(reusable);
        phase = Phase.DONE;
        audit.write(allowed());
        completeClient(requestReceived);
    }

    /** A deny before anything went upstream: the block response, then keep-alive if possible. */
    private void refuse(Decision d) {
        respond(d, true);
    }

    /** An allowed request that could not be completed: 502/504, and the connection closes. */
    private void fail(Reason reason) {
        fail(reason, "");
    }

    /** @param cause for the audit line's rule: what failed (an exception class), "" to keep the rule */
    private void fail(Reason reason, String cause) {
        Decision base = decision != null ? decision : Decision.deny(reason, "");
        Decision d = new Decision(Verdict.DENY, reason, cause.isEmpty() ? base.rule() : cause, false, false,
                base.evidence());
        endUpstream(false);
        respond(d, false);
    }

    private void respond(Decision d, boolean mayKeepAlive) {
        releasePending();
        boolean keepAlive = mayKeepAlive && clientKeepAlive && !requestHasBody && !services.draining();
        phase = requestReceived ? Phase.DONE : Phase.DRAINING_REQUEST;
        // The head gives the renderers the path and Content-Type (the AWS error dialect).
        FullHttpResponse block = services.blocks().forRequest(d, head, facts.host().value(), facts.id(), keepAlive,
                client.alloc());
        audit.status(block.status().code());
        audit.write(d);
        block.setProtocolVersion(clientVersion); // prepareRequest made the head HTTP/1.1
        client.writeAndFlush(block);
        clientKeepAlive = keepAlive;
        if (phase == Phase.DONE) {
            completeClient(keepAlive);
        } else if (!keepAlive) {
            linger();
        }
    }

    /**
     * A lingering close (RFC 9112 §9.6): closing while the client still sends its body makes the
     * kernel answer with a reset, which can reach the client before the refusal it has not read
     * yet. So the rest of the body is read and dropped, up to {@link #LINGER_BYTES} and for at
     * most {@link #LINGER_MILLIS}; a client that read the refusal stops sending and closes.
     */
    private void linger() {
        client.executor().schedule(() -> {
            if (phase == Phase.DRAINING_REQUEST) {
                phase = Phase.DONE;
                client.close();
            }
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        client.read();
    }

    /** Something broke mid-exchange: close both sides; the audit line still gets written. */
    private void abort(@Nullable Reason reason) {
        if (phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.DRAINING_REQUEST) {
            phase = Phase.DONE;
            client.close();
            return;
        }
        // Before the policy decided, an unfinished request is recorded as a bad one.
        Decision base = decision != null ? decision : Decision.deny(Reason.BAD_REQUEST, "");
        Decision d = reason == null ? base
                : new Decision(Verdict.DENY, reason, base.rule(), false, false, base.evidence());
        endUpstream(false);
        releasePending();
        phase = Phase.DONE;
        audit.write(d);
        client.close();
    }

    private void completeClient(boolean requestEnded) {
        phase = Phase.DONE;
        if (clientKeepAlive && requestEnded && !services.draining() && client.channel().isActive()) {
            client.pipeline().fireUserEventTriggered(ExchangeEvent.COMPLETE);
            client.read();
        } else {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void endUpstream(boolean reusable) {
        if (observer != null) {
            observer.release();
        }
        asking.release();
        Channel up = upstream;
        if (up != null) {
            Objects.requireNonNull(upstreamHandler, "bound with the connection").unbind(this);
            services.pool().release(up, Objects.requireNonNull(poolKey, "set before connecting"), reusable);
            upstream = null;
        }
    }

    /** The request's decision, once the policy allowed it (streaming, trailers, the response). */
    private Decision allowed() {
        return Objects.requireNonNull(decision, "decided before anything went upstream");
    }

    private void releasePending() {
        while (!pending.isEmpty()) {
            pending.poll().release();
        }
    }
}
