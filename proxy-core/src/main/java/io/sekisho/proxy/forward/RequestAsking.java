package io.sekisho.proxy.forward;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.sekisho.policy.Answer;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.channel.ClientIdentity;
import io.sekisho.proxy.gate.PolicyGate;
import io.sekisho.proxy.provenance.ProvenanceAccess;
import io.sekisho.proxy.upstream.UpstreamLocator.Located;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The policy side of one forwarded request: its conversation through the {@link PolicyGate}
 * (with the body the policy asks for, captured from the client while the rest of the body waits
 * in the exchange's queue), then its trailers, and the exchange the response is reported in.
 * {@link ForwardExchange} does the connecting and streaming and acts on the decision.
 */
final class RequestAsking implements PolicyGate.Host {
    /** What the exchange does with the answers. */
    interface Outcome {
        /** Still waiting for the request's decision. */
        boolean deciding();

        void decided(Decision d);

        void unreachable(Reason reason, String cause, @Nullable Decision wouldDeny);
    }

    private final RuntimeState state;
    private final ChannelHandlerContext client;
    private final HttpRequest head;
    private final RequestFacts facts;
    private final @Nullable Decision tunnel;
    private final boolean hasBody;
    private final Outcome outcome;
    /** The exchange's queue of body pieces waiting for the decision. */
    private final Iterable<HttpContent> pending;
    private final PolicyGate gate;
    private final ProvenanceAccess provenance;
    /** The exchange whose body the policy asked for, while it is being captured; else null. */
    private @Nullable Exchange bodyFor;
    private @Nullable BodyCapture capture;
    private final InterimResponses interim;
    /** The request as the response is reported: with a heap copy of its body when the policy reads the response. */
    private RequestFacts observed;
    /**
     * The exchange the request was decided in, once decided: the response is reported in it, so
     * that the policy reuses what it worked out for the request (host class, inspectors, the
     * policy entry chosen) instead of working it out again.
     */
    private @Nullable Exchange answered;

    RequestAsking(ProxyServices services, RuntimeState state, ChannelHandlerContext client, HttpRequest head,
            RequestFacts facts, @Nullable Decision tunnel, boolean hasBody, Iterable<HttpContent> pending,
            InterimResponses interim, Outcome outcome) {
        this.state = state;
        this.client = client;
        this.head = head;
        this.facts = facts;
        this.tunnel = tunnel;
        this.hasBody = hasBody;
        this.outcome = outcome;
        this.pending = pending;
        this.interim = interim;
        this.gate = new PolicyGate(services, state, this);
        this.provenance = services.provenance();
        this.observed = facts;
    }

    void start() {
        gate.ask(exchange(Exchange.request(facts, hasBody, HttpUtil.is100ContinueExpected(head), tunnel)));
    }

    /** {@code x} as sent by this connection's client (identity and address), for per-group policies. */
    private Exchange exchange(Exchange x) {
        return ClientIdentity.on(x, client.channel());
    }

    /** Where the gate located an absolute-form request's destination. */
    @Nullable Located located() {
        return gate.located();
    }

    @Override
    public EventExecutor executor() {
        return client.executor();
    }

    @Override
    public boolean asking() {
        return outcome.deciding();
    }

    /** The policy reads the body before it decides: capture it, reading the client on demand. */
    @Override
    public void readBody(Exchange x, BodyNeed need) {
        if (x.expectsContinue()) {
            interim.answerContinue(client, head);
        }
        BodyCapture cap = new BodyCapture(client.alloc(), need.limit());
        bodyFor = x;
        capture = cap;
        for (HttpContent c : pending) {
            cap.add(c.content(), c instanceof LastHttpContent);
        }
        ask(x, cap);
    }

    /**
     * A piece of the request body arrived before the decision (it also waits in the exchange's
     * queue): captured when the policy asked for the body.
     */
    void offer(HttpContent c) {
        Exchange x = bodyFor;
        BodyCapture cap = capture;
        if (x == null || cap == null) {
            return;
        }
        cap.add(c.content(), c instanceof LastHttpContent);
        ask(x, cap);
    }

    /** With the body the policy asked for, ask again; until then, read on. */
    private void ask(Exchange x, BodyCapture cap) {
        if (!cap.satisfied()) {
            client.read();
            return;
        }
        bodyFor = null;
        gate.ask(x.withRequestBody(cap.view(), cap.complete()));
    }

    @Override
    public void decided(Exchange x, Decision d) {
        if (d.readsResponse()) {
            prepareForResponseReading(Objects.requireNonNull(x.request(), "a request's decision has its request"));
        }
        answered = x;
        release();
        outcome.decided(d);
    }

    @Override
    public void unreachable(Reason reason, String cause, @Nullable Decision wouldDeny) {
        outcome.unreachable(reason, cause, wouldDeny);
    }

    /**
     * The policy reads this response (a sign-in token): ask only for codings it decodes (the
     * JDK has no brotli; sign-in requests are not SigV4-signed, so the header may change), and
     * keep a heap copy of the captured request body, which is released before the response.
     */
    private void prepareForResponseReading(RequestFacts f) {
        if (!head.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
            // A signed call (SSM StartSession) may sign Accept-Encoding: it stays as sent.
            head.headers().set(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate");
        }
        ByteBuffer body = f.body();
        if (body == null) {
            observed = f;
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(body.remaining()).put(body.duplicate()).flip();
        observed = f.withBody(copy, f.bodyComplete());
    }

    /**
     * The request's decision once its trailers are seen (issue 18 point 3): the same decision,
     * a deny, or in report mode what enforce would have done.
     */
    Decision trailers(Decision decided, LastHttpContent last) {
        Answer a = PolicyGate.decideNow(state.policy(), exchange(Exchange.request(facts, true, false, tunnel))
                .withTrailers(decided, new NettyHeaders(last.trailingHeaders())));
        return a instanceof Decision d ? d : Decision.internalError();
    }

    /** Tells the policy about the response to the request allowed with {@code decided}. */
    ResponseObserver observer(Decision decided) {
        Exchange x = answered;
        Exchange reported = x == null ? exchange(Exchange.request(observed, hasBody, false, tunnel))
                : keeping(x, observed);
        return new ResponseObserver(state.policy(), reported, decided, client.alloc(), provenance);
    }

    /** {@code x} with {@code kept} as its request; {@code x} itself when it holds that very request (a GET). */
    @SuppressWarnings("ReferenceEquality") // the same object, not an equal one: nothing to replace
    private static Exchange keeping(Exchange x, RequestFacts kept) {
        return x.request() == kept ? x : x.withRequest(kept);
    }

    /** Drops the captured body (the decision came, or the exchange ended first). */
    void release() {
        BodyCapture cap = capture;
        if (cap != null) {
            cap.release();
            capture = null;
        }
        bodyFor = null;
    }
}
