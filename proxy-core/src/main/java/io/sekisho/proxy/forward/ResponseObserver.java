package io.sekisho.proxy.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponse;
import io.sekisho.policy.Answer;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.Need;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Policy;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;
import io.sekisho.proxy.gate.PolicyGate;
import io.sekisho.proxy.provenance.ProvenanceAccess;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Tells the policy about the response to an allowed request whose decision {@linkplain
 * Decision#readsResponse reads it} (token provenance needs it): the head at once, or, when the
 * policy asks, the head with the first N body bytes. Any other response is not reported: the
 * policy said at the request that it has nothing to learn or judge there. A response whose
 * body the policy asks for is held back (its head and body up to N bytes) until the policy has
 * judged it: a token issued for a foreign account must never reach the client (issue 15).
 */
final class ResponseObserver {
    /** Completed, and never completed again: nobody may complete or obtrude it. */
    private static final CompletableFuture<Void> NOTHING_LEARNED = CompletableFuture.completedFuture(null);

    private final Policy policy;
    private final Exchange request;
    private final Decision decision;
    private final ByteBufAllocator alloc;
    private final ProvenanceAccess provenance;
    private @Nullable ResponseFacts head;
    private @Nullable BodyCapture capture;

    /** @param request the exchange of the allowed request, with the request body the policy keeps */
    ResponseObserver(Policy policy, Exchange request, Decision decision, ByteBufAllocator alloc,
            ProvenanceAccess provenance) {
        this.provenance = provenance;
        this.policy = policy;
        this.request = request;
        this.decision = decision;
        this.alloc = alloc;
    }

    /**
     * Call before the head is rewritten for the client, so the policy sees what the origin sent.
     *
     * @return the response's decision when the policy judged it on the head; null when it waits
     *     for the body, which is then to be held ({@link #holding})
     */
    @Nullable Decision onHead(HttpResponse r, boolean noBody) {
        if (!decision.readsResponse()) {
            // The policy has no response phase for this request: its decision is the response's.
            return decision;
        }
        ResponseFacts h = new ResponseFacts(r.status().code(), new NettyHeaders(r.headers()), null, false);
        head = h;
        Answer a = PolicyGate.decideNow(policy, request.withResponse(decision, h));
        if (a instanceof Need.ResponseBody need) {
            if (!noBody) {
                capture = new BodyCapture(alloc, need.limit());
                return null;
            }
            a = PolicyGate.decideNow(policy, request.withResponse(decision,
                    new ResponseFacts(h.status(), h.headers(), ByteBuffer.allocate(0), true)));
        }
        return a instanceof Decision d ? d : Decision.internalError();
    }

    /** True while the policy waits for the body: the response is held back until it has judged. */
    boolean holding() {
        return capture != null;
    }

    /**
     * @return the response's decision once the body the policy asked for is in (or the response
     *     ended), null while it still waits
     */
    @Nullable Decision onContent(ByteBuf content, boolean last) {
        BodyCapture cap = capture;
        ResponseFacts h = head;
        if (cap == null || h == null) {
            return null;
        }
        cap.add(content, last);
        if (!cap.satisfied()) {
            return null;
        }
        Answer a = PolicyGate.decideNow(policy, request.withResponse(decision,
                new ResponseFacts(h.status(), h.headers(), cap.view(), cap.complete())));
        release();
        return a instanceof Decision d ? d : Decision.internalError();
    }

    /**
     * Completes once what the policy learned from this response (a sign-in token) is recorded
     * in the shared store, or the record failed; at once when nothing was learned.
     */
    CompletionStage<Void> recorded() {
        if (!decision.readsResponse()) {
            return NOTHING_LEARNED;
        }
        RequestFacts r = Objects.requireNonNull(request.request(), "a request's exchange");
        return provenance.recorded(r.id());
    }

    /** Drops the capture (the exchange ended before the policy could be told). */
    void release() {
        BodyCapture cap = capture;
        if (cap != null) {
            cap.release();
            capture = null;
        }
    }
}
