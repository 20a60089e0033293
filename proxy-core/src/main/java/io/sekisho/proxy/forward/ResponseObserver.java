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
import io.sekisho.policy.ResponseFacts;
import io.sekisho.proxy.gate.PolicyGate;
import java.nio.ByteBuffer;

/**
 * Tells the policy about the response to an allowed request (token provenance needs it): the
 * head at once, or, when the policy asks, the head with the first N body bytes, captured while
 * the body streams on to the client.
 */
final class ResponseObserver {
    private final Policy policy;
    private final Exchange request;
    private final Decision decision;
    private final ByteBufAllocator alloc;
    private @Nullable ResponseFacts head;
    private @Nullable BodyCapture capture;

    /** @param request the exchange of the allowed request, with the request body the policy keeps */
    ResponseObserver(Policy policy, Exchange request, Decision decision, ByteBufAllocator alloc) {
        this.policy = policy;
        this.request = request;
        this.decision = decision;
        this.alloc = alloc;
    }

    /** Call before the head is rewritten for the client, so the policy sees what the origin sent. */
    void onHead(HttpResponse r, boolean noBody) {
        ResponseFacts h = new ResponseFacts(r.status().code(), new NettyHeaders(r.headers()), null, false);
        head = h;
        Answer a = PolicyGate.decideNow(policy, request.withResponse(decision, h));
        if (a instanceof Need.ResponseBody need) {
            if (noBody) {
                PolicyGate.decideNow(policy, request.withResponse(decision,
                        new ResponseFacts(h.status(), h.headers(), ByteBuffer.allocate(0), true)));
            } else {
                capture = new BodyCapture(alloc, need.limit());
            }
        }
    }

    void onContent(ByteBuf content, boolean last) {
        BodyCapture cap = capture;
        ResponseFacts h = head;
        if (cap == null || h == null) {
            return;
        }
        cap.add(content, last);
        if (cap.satisfied()) {
            // The policy learns here; the response's decision is the request's (no response-side denials yet).
            PolicyGate.decideNow(policy, request.withResponse(decision,
                    new ResponseFacts(h.status(), h.headers(), cap.view(), cap.complete())));
            release();
        }
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
