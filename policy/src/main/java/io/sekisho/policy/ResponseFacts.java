package io.sekisho.policy;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An upstream response to an allowed request, given to the policy so that it can learn
 * (e.g. which sign-in tokens were issued for which account: token provenance).
 *
 * @param status the HTTP status code
 * @param headers the response headers
 * @param body the first bytes of the body when the policy asked for them, else null
 * @param bodyComplete true when {@code body} holds the entire body
 */
public record ResponseFacts(int status, Headers headers, @Nullable ByteBuffer body, boolean bodyComplete) {
    public ResponseFacts {
        Objects.requireNonNull(headers);
    }
}
