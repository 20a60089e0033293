package io.sekisho.proxy.explain;

import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Answer;
import io.sekisho.policy.AppliedPolicy;
import io.sekisho.policy.ConnectFacts;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Need;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.PolicySet;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;
import io.sekisho.policy.SimpleHeaders;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Judges requests offline with the production engine, driving its conversation as the proxy's
 * {@code PolicyGate} does: a CONNECT first for {@code https} (then the request inside the
 * intercepted tunnel), the body when asked, the response when the policy reads it. What the proxy
 * would fetch from the network it does not: addresses come only from IP literals and
 * {@code upstream.resolve}, and a key lookup is reported as one the proxy would make.
 *
 * <p>One explainer keeps one token store, so requests judged in order (a HAR file) share sign-in
 * token provenance as one proxy would.
 */
public final class Explainer {
    /** More rounds than any conversation takes (connect, body, key, addresses): a loop is a bug. */
    private static final int MAX_ROUNDS = 8;
    private static final String CLIENT = "127.0.0.1:0";

    private final PolicySet policy;
    private final Identity who;
    private final @Nullable InetAddress from;
    private final boolean hasPolicies;
    private final OfflineRoutes routes;
    private final ReplayClock clock;
    private int next;

    public Explainer(SekishoConfig config) {
        this(config, Identity.ANONYMOUS, null);
    }

    /**
     * @param who the user (and groups) the requests are judged as: {@code policies} select on them,
     *     {@code aws.sts.roleSessionName} compares with the user
     * @param from the client address {@code policies} select on; null for none
     */
    public Explainer(SekishoConfig config, Identity who, @Nullable InetAddress from) {
        this.clock = new ReplayClock();
        this.routes = new OfflineRoutes(config.upstream());
        this.policy = StandardPolicy.create(config.policy(), config.policies(),
                new OfflineKeys(config.keyInfoResolver() != null), new InMemorySigninTokenStore(), clock);
        this.who = who;
        this.from = from;
        this.hasPolicies = !config.policies().isEmpty();
    }

    public Explanation explain(ExplainRequest r) {
        clock.moveTo(r.startedAt());
        List<String> steps = new ArrayList<>();
        HostName host;
        try {
            host = HostName.parse(r.host());
        } catch (IllegalArgumentException e) {
            steps.add("host: " + e.getMessage());
            return new Explanation(r, "request", Decision.deny(Reason.BAD_REQUEST, ""), steps);
        }
        if (hasPolicies) {
            AppliedPolicy p = policy.applied(who, from);
            steps.add("policy: " + p.name() + " (" + p.mode().name().toLowerCase(Locale.ROOT) + "), for user `"
                    + who.user() + "` in groups " + who.groups()
                    + (from == null ? "" : " from " + from.getHostAddress()));
        }
        Decision tunnel = null;
        if (r.scheme().equals("https")) {
            tunnel = converse(Exchange.connect(new ConnectFacts(CLIENT, host, r.port())).from(who, from), r, steps);
            String how = tunnel.intercept() ? ", intercepted" : ", tunnelled without inspection";
            steps.add("CONNECT " + host.authorityForm() + ":" + r.port() + ": " + Describe.decision(tunnel)
                    + (tunnel.allowed() ? how : ""));
            if (!tunnel.allowed() || !tunnel.intercept()) {
                return new Explanation(r, "connect", tunnel, steps);
            }
        }
        RequestFacts facts = new RequestFacts("explain-" + ++next, CLIENT, r.method(), r.scheme(), host, r.port(),
                r.path(), r.query(), SimpleHeaders.fromLines(r.headers()), null, false,
                tunnel == null ? null : host);
        boolean hasBody = r.body().length > 0;
        Decision d = converse(Exchange.request(facts, hasBody, false, tunnel).from(who, from), r, steps);
        steps.add(r.method() + " " + r.path() + ": " + Describe.decision(d));
        if (d.allowed() && d.readsResponse()) {
            learn(Exchange.request(withBody(facts, r), hasBody, false, tunnel).from(who, from), d, r, steps);
        }
        return new Explanation(r, "request", d, steps);
    }

    /** Asks until a decision, serving the needs offline. */
    private Decision converse(Exchange start, ExplainRequest r, List<String> steps) {
        Exchange x = start;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Answer a = decideNow(x);
            if (a instanceof Decision d) {
                return d;
            }
            if (a instanceof Need.Addresses) {
                x = x.withRoute(routes.route(x.connect() != null ? x.connect().host()
                        : Objects.requireNonNull(x.request(), "a request exchange").host(), steps));
            } else if (a instanceof Need.RequestBody b) {
                int limit = b.body().limit();
                int n = Math.min(limit, r.body().length);
                steps.add("body: the policy read " + n + " of " + r.body().length + " bytes");
                x = x.withRequestBody(ByteBuffer.wrap(r.body(), 0, n).slice(), n == r.body().length);
            } else if (a instanceof Need.KeyLookup k) {
                steps.add("key " + Describe.mask(k.accessKeyId()) + ": would need an STS lookup"
                        + " (sts:GetAccessKeyInfo); explain opens no connection, so the key stays unresolved");
                x = x.withKeyLookedUp(k.accessKeyId());
            } else {
                steps.add("the policy asked for " + a.getClass().getSimpleName() + " in phase " + x.phase());
                return Decision.internalError();
            }
        }
        steps.add("the conversation did not end after " + MAX_ROUNDS + " rounds");
        return Decision.internalError();
    }

    /** The recorded response, replayed so that the policy learns from it as the proxy's observer lets it. */
    private void learn(Exchange request, Decision d, ExplainRequest r, List<String> steps) {
        ExplainRequest.RecordedResponse res = r.response();
        if (res == null) {
            steps.add("response: the policy would read it (a sign-in token), but the input holds none");
            return;
        }
        Exchange x = request.withResponse(d, new ResponseFacts(res.status(), SimpleHeaders.fromLines(res.headers()),
                null, false));
        Answer a = decideNow(x);
        if (a instanceof Need.ResponseBody b) {
            int n = Math.min(b.limit(), res.body().length);
            ResponseFacts withBody = new ResponseFacts(res.status(), SimpleHeaders.fromLines(res.headers()),
                    ByteBuffer.wrap(res.body(), 0, n).slice(), n == res.body().length);
            a = decideNow(request.withResponse(d, withBody));
        }
        steps.add("response " + res.status() + ": replayed to the policy, which learns the sign-in token it issues,"
                + " if any" + (a instanceof Decision ? "" : " (the policy asked for more: " + a + ")"));
    }

    private static RequestFacts withBody(RequestFacts f, ExplainRequest r) {
        return r.body().length == 0 ? f : f.withBody(ByteBuffer.wrap(r.body()), true);
    }

    private Answer decideNow(Exchange x) {
        try {
            Answer a = policy.decide(x);
            return a == null ? Decision.internalError() : a;
        } catch (RuntimeException e) {
            return Decision.internalError();
        }
    }
}
