package io.sekisho.proxy.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponse;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Policy;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;

/**
 * Tells the policy about the response to an allowed request (token provenance needs it): the
 * head at once, or, when the policy asks, the head with the first N body bytes, captured while
 * the body streams on to the client.
 */
final class ResponseObserver {
    private final Policy policy;
    private final RequestFacts request;
    private final Decision decision;
    private final ByteBufAllocator alloc;
    private ResponseFacts head;
    private BodyCapture capture;

    ResponseObserver(Policy policy, RequestFacts request, Decision decision, ByteBufAllocator alloc) {
        this.policy = policy;
        this.request = request;
        this.decision = decision;
        this.alloc = alloc;
    }

    /** Call before the head is rewritten for the client, so the policy sees what the origin sent. */
    void onHead(HttpResponse r, boolean noBody) {
        head = new ResponseFacts(r.status().code(), new NettyHeaders(r.headers()), null, false);
        BodyNeed need = policy.responseBodyNeed(request, decision, head);
        if (need.kind() == BodyNeed.Kind.NONE || noBody) {
            policy.onResponse(request, decision, head);
        } else {
            capture = new BodyCapture(alloc, need.limit());
        }
    }

    void onContent(ByteBuf content, boolean last) {
        if (capture == null) {
            return;
        }
        capture.add(content, last);
        if (capture.satisfied()) {
            policy.onResponse(request, decision,
                    new ResponseFacts(head.status(), head.headers(), capture.view(), capture.complete()));
            release();
        }
    }

    /** Drops the capture (the exchange ended before the policy could be told). */
    void release() {
        if (capture != null) {
            capture.release();
            capture = null;
        }
    }
}
