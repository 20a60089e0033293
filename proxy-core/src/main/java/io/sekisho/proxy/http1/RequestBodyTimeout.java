package io.sekisho.proxy.http1;

import io.sekisho.policy.Reason;
import java.util.Objects;

/**
 * Fired towards the forwarder by {@link RequestBodyTimeoutHandler} when a request body missed
 * {@code timeouts.requestBody} or {@code limits.minRequestBodyRate}; the exchange answers it.
 *
 * @param reason {@link Reason#REQUEST_BODY_TIMEOUT} or {@link Reason#REQUEST_BODY_TOO_SLOW}
 */
public record RequestBodyTimeout(Reason reason) {
    public RequestBodyTimeout {
        Objects.requireNonNull(reason);
    }
}
