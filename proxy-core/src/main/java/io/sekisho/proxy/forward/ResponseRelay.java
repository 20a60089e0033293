package io.sekisho.proxy.forward;

import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The response half of one forwarded exchange, bound to its upstream connection through
 * {@link UpstreamResponseHandler}: the origin's interim responses, the final head (the policy is
 * told through a {@link ResponseObserver}), then the body, streamed to the client with
 * read-after-write backpressure, and the response deadline. The exchange hears how it ended.
 */
final class ResponseRelay {
    /** What the relay reports to its exchange. */
    interface Ends {
        /** True while the exchange streams (not refused, failed or ended). */
        boolean streaming();

        /** The request's decision, as the response is reported with it. */
        Decision allowed();

        /** The last of the response went to the client; {@code upstreamKeepAlive}: the origin keeps the connection. */
        void responded(boolean upstreamKeepAlive);

        /** No usable response came (502/504 while none has started). */
        void failed(Reason reason);

        /** The response broke off after it started: both sides close. */
        void broken();

        /**
         * The policy refused the response it held back (a token for a foreign account): nothing
         * of it reached the client, which gets the block response instead; both sides close.
         */
        void refused(Decision d);

        /** The origin's 101 switched the connections to a WebSocket relay, which now owns them. */
        void switched();
    }

    private final Ends exchange;
    private final UpstreamLink upstream;
    private final ExchangeClient client;
    private final InterimResponses interim;
    private final HttpRequest head;
    private final RequestAsking asking;
    private final ExchangeAudit audit;
    /** A WebSocket upgrade's way to a relay; null for any other request (a 101 then fails it). */
    private final @Nullable ProtocolSwitch webSocket;
    /** Set when the final response head arrives: the response has started. */
    private @Nullable ResponseObserver observer;
    private boolean upstreamKeepAlive;
    /** The response's last content waits for a sign-in token's record (see onContent). */
    private boolean holdingLast;
    /** While the policy reads the body: the head and the contents held back, in order. */
    private @Nullable HttpResponse heldHead;
    private final List<HttpContent> held = new ArrayList<>(); // no array until a response is held

    ResponseRelay(Ends exchange, UpstreamLink upstream, ExchangeClient client, InterimResponses interim,
            HttpRequest head, RequestAsking asking, ExchangeAudit audit, @Nullable ProtocolSwitch webSocket) {
        this.exchange = exchange;
        this.webSocket = webSocket;
        this.upstream = upstream;
        this.client = client;
        this.interim = interim;
        this.head = head;
        this.asking = asking;
        this.audit = audit;
    }

    boolean started() {
        return observer != null;
    }

    /** The request has been sent: the response head must begin within {@code timeoutMillis}. */
    void awaitResponse(long timeoutMillis) {
        if (!started() && exchange.streaming()) {
            upstream.awaitResponse(timeoutMillis);
        }
    }

    void onHead(HttpResponse r) {
        if (!exchange.streaming()) {
            return;
        }
        if (interim.relayed(client.ctx(), r)) {
            upstream.read();
            return;
        }
        if (r.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            upgraded(r);
            return;
        }
        audit.status(r.status().code());
        audit.upstreamResponseTook(upstream.responseStarted());
        upstreamKeepAlive = HttpUtil.isKeepAlive(r);
        ResponseObserver o = asking.observer(exchange.allowed());
        observer = o;
        Decision judged = o.onHead(r, MessageHeads.responseHasNoBody(head.method(), r));
        if (judged == null) {
            heldHead = r; // the policy reads the body before any of the response goes out
            upstream.read();
            return;
        }
        if (!judged.allowed()) {
            exchange.refused(judged);
            return;
        }
        writeHead(r);
    }

    private void writeHead(HttpResponse r) {
        client.writeHead(r, head).addListener(f -> {
            if (!f.isSuccess()) {
                exchange.broken();
            } else if (exchange.streaming()) {
                upstream.read();
            }
        });
    }

    /** A 101: only a WebSocket upgrade switches, on {@code Upgrade: websocket} ({@link WebSocketUpgrade}). */
    private void upgraded(HttpResponse r) {
        audit.upstreamResponseTook(upstream.responseStarted());
        ProtocolSwitch to = webSocket;
        Reason refused = WebSocketUpgrade.refusal(to, r, client.ctx());
        if (to == null || refused != null) {
            exchange.failed(refused != null ? refused : Reason.UPSTREAM_PROTOCOL_ERROR);
            return;
        }
        exchange.switched();
        WebSocketUpgrade.start(client.ctx(), r, upstream, to, audit, exchange.allowed());
    }

    void onContent(HttpContent c) {
        ResponseObserver o = observer;
        if (!exchange.streaming() || o == null) {
            c.release();
            return;
        }
        boolean last = c instanceof LastHttpContent;
        audit.down(c.content().readableBytes());
        Decision judged = o.onContent(c.content(), last);
        if (heldHead != null && !released(c, judged)) {
            return;
        }
        if (last) {
            CompletableFuture<Void> recorded = o.recorded().toCompletableFuture();
            if (!recorded.isDone()) {
                // A sign-in token this response issued must be in the shared store before the
                // client can present it to another instance: the end of the response waits.
                holdingLast = true;
                recorded.whenComplete((v, e) -> client.ctx().executor().execute(() -> releaseLast(c)));
                return;
            }
        }
        relay(c, last);
    }

    /**
     * A held-back response: {@code c} is held too while the policy waits; once it has judged,
     * a deny drops everything and refuses the exchange, an allow writes the head and what was
     * held. True when {@code c} goes on to the client as usual.
     */
    private boolean released(HttpContent c, @Nullable Decision judged) {
        HttpResponse r = Objects.requireNonNull(heldHead, "holding");
        if (judged == null) {
            held.add(c);
            upstream.read();
            return false;
        }
        heldHead = null;
        if (!judged.allowed()) {
            c.release();
            releaseHeld();
            exchange.refused(judged);
            return false;
        }
        writeHead(r);
        for (HttpContent earlier : held) {
            client.ctx().write(earlier).addListener(f -> {
                if (!f.isSuccess()) {
                    exchange.broken();
                }
            });
        }
        held.clear();
        return true;
    }

    private void releaseLast(HttpContent c) {
        holdingLast = false;
        if (!exchange.streaming()) {
            c.release();
            return;
        }
        relay(c, true);
    }

    private void relay(HttpContent c, boolean last) {
        ChannelFuture written = last ? client.ctx().writeAndFlush(c) : client.ctx().write(c);
        written.addListener(f -> {
            if (!f.isSuccess()) {
                exchange.broken();
            } else if (!last && exchange.streaming()) {
                upstream.read();
            }
        });
        if (last) {
            exchange.responded(upstreamKeepAlive);
        }
    }

    /** The end of one read from the upstream: what it brought goes to the client in one flush. */
    void flush() {
        if (exchange.streaming()) {
            client.ctx().flush();
        }
    }

    /** {@code timeouts.upstreamResponse} passed after the request was sent, with no response head. */
    void onTimeout() {
        if (exchange.streaming() && !started()) {
            exchange.failed(Reason.UPSTREAM_TIMEOUT);
        }
    }

    void onUpstreamClosed() {
        if (!exchange.streaming() || holdingLast) {
            return;
        }
        if (!started()) {
            exchange.failed(Reason.UPSTREAM_PROTOCOL_ERROR);
        } else {
            exchange.broken();
        }
    }

    /** Drops what the observer captured (the exchange ended before the policy could be told). */
    void release() {
        ResponseObserver o = observer;
        if (o != null) {
            o.release();
        }
        releaseHeld();
    }

    private void releaseHeld() {
        heldHead = null;
        for (HttpContent c : held) {
            c.release();
        }
        held.clear();
    }
}
