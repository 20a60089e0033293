package io.sekisho.policy;

import io.sekisho.policy.HostClassifier.Classification;
import io.sekisho.policy.domain.AddressClass;
import io.sekisho.policy.domain.AddressClassifier;
import io.sekisho.policy.domain.DomainPattern;
import io.sekisho.policy.domain.DomainRules;
import io.sekisho.policy.domain.RuleWarning;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The decision engine: domain rules, ports, resolved-address classes, host classes and the
 * per-request inspectors, put together as {@link Policy}. Checks run by name, then by
 * resolved address, then again per request (STYLE.md rule 6); the first deny decides. The
 * order of the checks for each phase, their combination, report mode and fail-closed handling
 * live in {@link Conversation}; the methods here are the checks themselves, which may throw.
 *
 * <p>Ports: a CONNECT is checked against {@code ports.connect} (a CONNECT to port 80 is denied
 * unless listed); an absolute-form {@code http://} request against {@code ports.http} and the
 * domain rules, with the request.
 *
 * <p>Immutable and thread-safe, no I/O, no logging; a configuration reload builds a new
 * engine.
 */
public final class PolicyEngine implements Policy, Checks {
    /** The rule of an allow for an address that came from {@code upstream.resolve}. */
    public static final String RULE_RESOLVE_OVERRIDE = "upstream.resolve";

    private final PolicySettings settings;
    private final HostClassifier classifier;
    private final Inspectors inspectors;
    private final DomainRules rules;
    private final DomainRules interceptRules;
    private final DomainRules interceptExclude;

    public PolicyEngine(PolicySettings settings, HostClassifier classifier, List<RequestInspector> inspectors) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.inspectors = new Inspectors(List.copyOf(inspectors));
        this.rules = DomainRules.compile(settings.allow(), settings.deny());
        this.interceptRules = DomainRules.compile(settings.intercept(), List.of());
        this.interceptExclude = DomainRules.compile(settings.interceptExclude(), List.of());
    }

    /** The settings this engine was built from. */
    public PolicySettings settings() {
        return settings;
    }

    /** Overlap warnings for {@code domains.allow} / {@code domains.deny}, knowing the AWS catalog. */
    public List<RuleWarning> warnings() {
        return rules.warnings(classifier);
    }

    /**
     * The conversation's next answer (see {@link Conversation}), with the checks bound to the
     * exchange's memo: the host is classified once per exchange and an inspector's parse of the
     * request is reused from its head to its body.
     */
    @Override
    public Answer decide(Exchange exchange) {
        RequestMemo memo = exchange.memo();
        Conversation c = memo.conversation(this);
        if (c == null) {
            c = new Conversation(new Bound(this, memo), settings.mode());
            memo.conversation(this, c);
        }
        return c.decide(exchange);
    }

    /** A destination by name and port, with the interception choice (computed even for a deny). */
    @Override
    public Decision byNameAndPort(ConnectFacts facts) {
        Classification c = classify(facts.host());
        DomainRules.Match m = rules.match(facts.host());
        boolean intercept = intercepts(facts.host(), c.hostClass()) || readOnly(c, m);
        Decision d = settings.connectPorts().contains(facts.port())
                ? byName(facts.host(), c, m) : Decision.deny(Reason.PORT_NOT_ALLOWED, "");
        return d.withIntercept(intercept);
    }

    /**
     * The operator chose an override address (VPC endpoints have private addresses), so its
     * class is not held against it. Otherwise the CIDR entries decide as they do for IP
     * literals, most specific first: a deny entry denies any address in its range, an allow
     * entry admits a special address, and a special address no entry admits is denied.
     */
    @Override
    public Decision byAddress(InetAddress address, boolean fromOverride) {
        if (fromOverride) {
            return Decision.allow(Reason.DOMAIN_ALLOWED, RULE_RESOLVE_OVERRIDE);
        }
        DomainRules.Match m = rules.match(address);
        if (m.denied()) {
            return Decision.deny(Reason.DOMAIN_DENIED, m.rule());
        }
        if (m.allowed()) {
            return Decision.allow(Reason.DOMAIN_ALLOWED, m.rule());
        }
        AddressClass ac = AddressClassifier.classify(address);
        if (ac.special()) {
            return Decision.deny(Reason.PRIVATE_ADDRESS, ac.name());
        }
        return Decision.allow(Reason.DOMAIN_ALLOWED, "");
    }

    /** How much of the request body the inspector reads (NONE when the destination is denied). */
    @Override
    public Decision destination(RequestFacts facts) {
        return destination(facts, classify(facts.host()));
    }

    Decision destination(RequestFacts facts, RequestMemo memo) {
        return destination(facts, classify(facts, memo));
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts) {
        return bodyNeed(facts, new RequestMemo());
    }

    BodyNeed bodyNeed(RequestFacts facts, RequestMemo memo) {
        Classification c = classify(facts, memo);
        if (!destination(facts, c).allowed()) {
            return BodyNeed.NONE;
        }
        return clamp(inspectors.bodyNeed(facts, c.hostClass(), memo));
    }

    /** The headers-only verdict before a body is read, for a client waiting for 100 Continue. */
    @Override
    public Decision onHeaders(RequestFacts facts) {
        return onHeaders(facts, new RequestMemo());
    }

    Decision onHeaders(RequestFacts facts, RequestMemo memo) {
        Classification c = classify(facts, memo);
        Decision d = destination(facts, c);
        Decision inspected = d.allowed() ? inspectors.onHeaders(facts, c.hostClass(), memo) : null;
        return inspected == null ? d : inspected;
    }

    /** The verdict on an allowed request's HTTP trailers. */
    @Override
    public Decision trailers(RequestFacts facts, Headers trailers) {
        return trailers(facts, trailers, new RequestMemo());
    }

    Decision trailers(RequestFacts facts, Headers trailers, RequestMemo memo) {
        Classification c = classify(facts, memo);
        Decision inspected = trailers.size() == 0 ? null : inspectors.onTrailers(facts, c.hostClass(), trailers, memo);
        return inspected == null ? Decision.allow(Reason.DOMAIN_ALLOWED, "") : inspected;
    }

    /** The key a lookup should resolve before the request is decided again, if any would help. */
    @Override
    public Optional<String> keyNeedingLookup(RequestFacts facts) {
        return keyNeedingLookup(facts, new RequestMemo());
    }

    Optional<String> keyNeedingLookup(RequestFacts facts, RequestMemo memo) {
        Classification c = classify(facts, memo);
        if (!destination(facts, c).allowed()) {
            return Optional.empty();
        }
        return inspectors.keyNeedingLookup(facts, c.hostClass(), memo);
    }

    /** The per-request decision: the destination again, then the inspector. */
    @Override
    public Decision request(RequestFacts facts) {
        return request(facts, new RequestMemo());
    }

    Decision request(RequestFacts facts, RequestMemo memo) {
        Classification c = classify(facts, memo);
        Decision d = destination(facts, c);
        if (!d.allowed()) {
            return d;
        }
        HostClass hc = c.hostClass();
        if (!inspectors.any(hc, facts.host(), memo)) {
            return d;
        }
        BodyNeed need = clamp(inspectors.bodyNeed(facts, hc, memo));
        Decision verdict = Objects.requireNonNull(inspectors.decide(facts, hc, memo), "inspector decision");
        if (verdict.allowed() && need.kind() == BodyNeed.Kind.WHOLE
                && facts.body() != null && !facts.bodyComplete()) {
            // The engine clamps what an inspector may see; an allow judged on a cut body is not one.
            return new Decision(Verdict.DENY, Reason.BODY_TOO_LARGE_TO_INSPECT, verdict.rule(), false, false,
                    verdict.evidence());
        }
        return verdict;
    }

    /**
     * The destination of one request, checked again: the rules may have been reloaded since
     * the CONNECT, and inside an intercepted tunnel the request must name the host the tunnel
     * was allowed for, or a client could reach any host through one allowed tunnel.
     */
    private Decision destination(RequestFacts facts, Classification c) {
        if (facts.connectHost() == null) {
            if (!settings.httpPorts().contains(facts.port())) {
                return Decision.deny(Reason.PORT_NOT_ALLOWED, "");
            }
        } else if (!facts.connectHost().equals(facts.host())) {
            return Decision.deny(Reason.HOST_MISMATCH, "");
        }
        DomainRules.Match m = rules.match(facts.host());
        Decision d = byName(facts.host(), c, m);
        if (d.allowed() && readOnly(c, m) && !ReadOnly.isRead(facts)) {
            return Decision.deny(Reason.AWS_CUSTOMER_ENDPOINT_WRITE, m.rule());
        }
        return d;
    }

    /**
     * A customer endpoint that a rule admits without naming it (issue 15 point 6): anyone's
     * distribution or load balancer lives under {@code .cloudfront.net}, which AWS's console
     * allowlist lists, so such a host is intercepted and may only be read ({@link ReadOnly}).
     * A rule that names the host exactly (or its address range) opens it whole.
     */
    private static boolean readOnly(Classification c, DomainRules.Match m) {
        if (c.hostClass() != HostClass.AWS_CUSTOMER_ENDPOINT || !m.allowed()) {
            return false;
        }
        DomainPattern p = m.pattern();
        // A rule broader than the catalog's suffix is denied outright by byName: nothing to intercept.
        return p.kind() != DomainPattern.Kind.EXACT && p.kind() != DomainPattern.Kind.CIDR
                && p.isNoBroaderThan(c.suffix());
    }

    /** Domain rules for a name or IP literal, then the customer-endpoint rule. */
    private Decision byName(HostName host, Classification c, DomainRules.Match m) {
        if (m.denied()) {
            return Decision.deny(Reason.DOMAIN_DENIED, m.rule());
        }
        if (!m.allowed()) {
            return Decision.deny(host.isIpLiteral() ? Reason.IP_LITERAL_NOT_ALLOWED : Reason.DOMAIN_NOT_ALLOWED, "");
        }
        if (c.hostClass() == HostClass.AWS_CUSTOMER_ENDPOINT && !m.pattern().isNoBroaderThan(c.suffix())) {
            // Anyone's load balancer or API lives under these names: a broad allow such as
            // .amazonaws.com, written for the company's own API calls, must not open them.
            return Decision.deny(Reason.AWS_CUSTOMER_ENDPOINT, m.rule());
        }
        return Decision.allow(Reason.DOMAIN_ALLOWED, m.rule());
    }

    /**
     * Whether a tunnel to this host is TLS-terminated. Computed for every CONNECT, denied or
     * not, so that a report-mode pass is inspected as enforce would inspect it.
     */
    private boolean intercepts(HostName host, HostClass hostClass) {
        if (interceptExclude.match(host).matched()) {
            return false; // tls.interceptExclude: a pinned client's host, tunnelled (check warns for AWS hosts)
        }
        if (settings.interceptConfigured()) {
            return interceptRules.match(host).matched();
        }
        return hostClass == HostClass.AWS_API || hostClass == HostClass.AWS_SIGNIN_CONSOLE
                || hostClass == HostClass.AWS_UNKNOWN;
    }

    /** The request's classification, worked out once per exchange. */
    private Classification classify(RequestFacts facts, RequestMemo memo) {
        Classification c = memo.classification();
        if (c == null) {
            c = classify(facts.host());
            memo.classification(c);
        }
        return c;
    }

    /** IP literals are never AWS names; the catalog is asked about names only. */
    private Classification classify(HostName host) {
        if (host.isIpLiteral()) {
            return Classification.NOT_AWS;
        }
        return Objects.requireNonNull(classifier.classify(host), "classification");
    }

    private BodyNeed clamp(BodyNeed need) {
        Objects.requireNonNull(need, "body need");
        if (need.kind() == BodyNeed.Kind.NONE || need.limit() <= settings.inspectBodyBytes()) {
            return need;
        }
        return new BodyNeed(need.kind(), settings.inspectBodyBytes());
    }

    /** True when the inspector reads this request's response (a sign-in token). */
    @Override
    public boolean readsResponse(RequestFacts request) {
        return readsResponse(request, new RequestMemo());
    }

    boolean readsResponse(RequestFacts request, RequestMemo memo) {
        Classification c = classify(request, memo);
        return inspectors.readsResponse(request, c.hostClass(), memo);
    }

    @Override
    public BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        return responseBodyNeed(request, decision, response, new RequestMemo());
    }

    BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response, RequestMemo memo) {
        Classification c = classify(request, memo);
        return clamp(inspectors.responseBodyNeed(request, c.hostClass(), decision, response, memo));
    }

    /**
     * Learns from a response (token provenance). Best effort: a failure only means a later
     * token is unknown, which that later request's decision denies (fail closed there).
     */
    @Override
    public void learn(RequestFacts request, Decision decision, ResponseFacts response) {
        learn(request, decision, response, new RequestMemo());
    }

    void learn(RequestFacts request, Decision decision, ResponseFacts response, RequestMemo memo) {
        try {
            Classification c = classify(request, memo);
            inspectors.learn(request, c.hostClass(), decision, response, memo);
        } catch (RuntimeException e) {
            // see above: the later request fails closed
        }
    }

    /** The response's verdict (see {@link Checks#judgeResponse}). */
    @Override
    public Decision judgeResponse(RequestFacts request, Decision decision, ResponseFacts response) {
        return judgeResponse(request, decision, response, new RequestMemo());
    }

    Decision judgeResponse(RequestFacts request, Decision decision, ResponseFacts response, RequestMemo memo) {
        Classification c = classify(request, memo);
        return inspectors.judgeResponse(request, c.hostClass(), decision, response, memo);
    }
}
