package io.sekisho.proxy.block;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.Decision;
import java.util.Objects;

/**
 * What a {@link BlockRenderer} may use to build a block response body.
 *
 * @param decision the deny (or failure) decision; its evidence says which AWS protocol the
 *     client speaks
 * @param status the HTTP status chosen for the reason
 * @param accept the request's {@code Accept} header ("" when absent or for a CONNECT)
 * @param host the destination host ("" when unknown)
 * @param requestId the audit line's request id
 * @param connect true for a refused CONNECT: only a plain-text body makes sense there
 */
public record BlockContext(
        Decision decision, HttpResponseStatus status, String accept, String host, String requestId, boolean connect) {

    public BlockContext {
        Objects.requireNonNull(decision);
        Objects.requireNonNull(status);
        Objects.requireNonNull(accept);
        Objects.requireNonNull(host);
        Objects.requireNonNull(requestId);
    }

    public AwsProtocol protocol() {
        return decision.evidence().protocol();
    }
}
