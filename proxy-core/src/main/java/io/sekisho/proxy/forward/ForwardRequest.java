package io.sekisho.proxy.forward;

import io.netty.handler.codec.http.HttpRequest;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.upstream.UpstreamLocator.Located;
import java.time.Instant;
import java.util.Objects;

/**
 * A request head the router has accepted for forwarding, with its parsed destination. The
 * router emits one per request; its body follows as {@code HttpContent} messages.
 *
 * @param head the decoded request head
 * @param target scheme, host, port, path and query
 * @param requestId the audit line's id
 * @param arrived when the head arrived
 * @param tunnel null for an absolute-form request; for a request inside an intercepted CONNECT
 *     (issue 3) the CONNECT's already-checked destination
 */
public record ForwardRequest(HttpRequest head, RequestTarget target, String requestId, Instant arrived,
        @Nullable TunnelContext tunnel) {

    public ForwardRequest {
        Objects.requireNonNull(head);
        Objects.requireNonNull(target);
        Objects.requireNonNull(requestId);
        Objects.requireNonNull(arrived);
    }

    /**
     * The intercepted CONNECT a request arrived in: its host was checked by name and address
     * when the tunnel opened, so requests inside skip {@code onConnect}/{@code onAddress}, reuse
     * {@code upstream}, and speak TLS to it with SNI {@code connectHost}.
     *
     * @param connectHost the CONNECT's host (the policy's {@code RequestFacts.connectHost})
     * @param connectPort the CONNECT's port
     * @param upstream where the CONNECT's host was located
     * @param connectDecision the CONNECT's decision (its wouldDeny carries into requests)
     */
    public record TunnelContext(HostName connectHost, int connectPort, Located upstream, Decision connectDecision) {
        public TunnelContext {
            Objects.requireNonNull(connectHost);
            Objects.requireNonNull(upstream);
            Objects.requireNonNull(connectDecision);
        }
    }
}
