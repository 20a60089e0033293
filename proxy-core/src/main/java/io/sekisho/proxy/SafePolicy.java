package io.sekisho.proxy;

import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.ConnectFacts;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Headers;
import io.sekisho.policy.Policy;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;
import java.net.InetAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fail closed around the engine (DESIGN.md): an exception or a null from the policy becomes
 * {@link Decision#internalError()}; the exception's class is logged, never the facts (they hold
 * headers and bodies).
 */
final class SafePolicy implements Policy {
    private static final Logger log = LoggerFactory.getLogger(SafePolicy.class);

    private final Policy delegate;

    private SafePolicy(Policy delegate) {
        this.delegate = delegate;
    }

    static Policy wrap(Policy p) {
        return p instanceof SafePolicy ? p : new SafePolicy(p);
    }

    @Override
    public Decision onConnect(ConnectFacts facts) {
        try {
            return orError(delegate.onConnect(facts));
        } catch (RuntimeException e) {
            return failed("onConnect", e);
        }
    }

    @Override
    public Decision onAddress(ConnectFacts facts, InetAddress address, boolean fromOverride) {
        try {
            return orError(delegate.onAddress(facts, address, fromOverride));
        } catch (RuntimeException e) {
            return failed("onAddress", e);
        }
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts) {
        try {
            BodyNeed n = delegate.bodyNeed(facts);
            return n == null ? BodyNeed.NONE : n;
        } catch (RuntimeException e) {
            // onRequest decides next and fails closed on the same input.
            log.error("policy bodyNeed failed: {}", e.getClass().getName());
            return BodyNeed.NONE;
        }
    }

    @Override
    public Decision onRequest(RequestFacts facts) {
        try {
            return orError(delegate.onRequest(facts));
        } catch (RuntimeException e) {
            return failed("onRequest", e);
        }
    }

    @Override
    public boolean readsResponse(RequestFacts request) {
        try {
            return delegate.readsResponse(request);
        } catch (RuntimeException e) {
            log.error("policy readsResponse failed: {}", e.getClass().getName());
            return false;
        }
    }

    @Override
    public Decision onRequestHeaders(RequestFacts facts) {
        try {
            return orError(delegate.onRequestHeaders(facts));
        } catch (RuntimeException e) {
            return failed("onRequestHeaders", e);
        }
    }

    @Override
    public Decision onTrailers(RequestFacts facts, Headers trailers) {
        try {
            return orError(delegate.onTrailers(facts, trailers));
        } catch (RuntimeException e) {
            return failed("onTrailers", e);
        }
    }

    @Override
    public Optional<String> keyNeedingLookup(RequestFacts facts) {
        try {
            Optional<String> key = delegate.keyNeedingLookup(facts);
            return key == null ? Optional.empty() : key;
        } catch (RuntimeException e) {
            log.error("policy keyNeedingLookup failed: {}", e.getClass().getName());
            return Optional.empty(); // the deny that asked stands
        }
    }

    @Override
    public BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        try {
            BodyNeed n = delegate.responseBodyNeed(request, decision, response);
            return n == null ? BodyNeed.NONE : n;
        } catch (RuntimeException e) {
            log.error("policy responseBodyNeed failed: {}", e.getClass().getName());
            return BodyNeed.NONE;
        }
    }

    @Override
    public void onResponse(RequestFacts request, Decision decision, ResponseFacts response) {
        try {
            delegate.onResponse(request, decision, response);
        } catch (RuntimeException e) {
            log.error("policy onResponse failed: {}", e.getClass().getName());
        }
    }

    private static Decision orError(Decision d) {
        return d == null ? Decision.internalError() : d;
    }

    private static Decision failed(String where, RuntimeException e) {
        log.error("policy {} failed, denying: {}", where, e.getClass().getName());
        return Decision.internalError();
    }
}
