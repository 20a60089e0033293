package io.sekisho.proxy.explain;

import io.sekisho.policy.Decision;
import java.util.List;
import java.util.Objects;

/**
 * The policy's judgement of one request, with the steps the conversation took to reach it (the
 * CONNECT, the body read, a key lookup explain could not make, what a response taught).
 *
 * @param request what was judged
 * @param stage where the final decision was made: {@code connect} (the CONNECT was denied, or
 *     tunnelled without inspection) or {@code request}
 * @param decision the final decision, as the configured mode makes it
 * @param steps the conversation, one line per step, in order
 */
public record Explanation(ExplainRequest request, String stage, Decision decision, List<String> steps) {
    public Explanation {
        Objects.requireNonNull(request);
        Objects.requireNonNull(stage);
        Objects.requireNonNull(decision);
        steps = List.copyOf(steps);
    }

    /** Denied, or allowed only because of report mode. */
    public boolean blocked() {
        return !decision.allowed() || decision.wouldDeny();
    }
}
