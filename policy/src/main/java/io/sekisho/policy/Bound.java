package io.sekisho.policy;

import java.net.InetAddress;
import java.util.Optional;

/**
 * {@link PolicyEngine}'s checks for one exchange: each request check gets the exchange's
 * {@link RequestMemo}, so the conversation's several questions about one request classify its
 * host once and let an inspector parse it once.
 */
final class Bound implements Checks {
    private final PolicyEngine engine;
    private final RequestMemo memo;

    Bound(PolicyEngine engine, RequestMemo memo) {
        this.engine = engine;
        this.memo = memo;
    }

    @Override
    public Decision byNameAndPort(ConnectFacts facts) {
        return engine.byNameAndPort(facts);
    }

    @Override
    public Decision byAddress(InetAddress address, boolean fromOverride) {
        return engine.byAddress(address, fromOverride);
    }

    @Override
    public Decision destination(RequestFacts facts) {
        return engine.destination(facts, memo);
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts) {
        return engine.bodyNeed(facts, memo);
    }

    @Override
    public Decision onHeaders(RequestFacts facts) {
        return engine.onHeaders(facts, memo);
    }

    @Override
    public Decision request(RequestFacts facts) {
        return engine.request(facts, memo);
    }

    @Override
    public Optional<String> keyNeedingLookup(RequestFacts facts) {
        return engine.keyNeedingLookup(facts, memo);
    }

    @Override
    public boolean readsResponse(RequestFacts facts) {
        return engine.readsResponse(facts, memo);
    }

    @Override
    public Decision trailers(RequestFacts facts, Headers trailers) {
        return engine.trailers(facts, trailers, memo);
    }

    @Override
    public BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        return engine.responseBodyNeed(request, decision, response, memo);
    }

    @Override
    public void learn(RequestFacts request, Decision decision, ResponseFacts response) {
        engine.learn(request, decision, response, memo);
    }

    @Override
    public Decision judgeResponse(RequestFacts request, Decision decision, ResponseFacts response) {
        return engine.judgeResponse(request, decision, response, memo);
    }
}
