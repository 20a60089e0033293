package io.sekisho.proxy.gate;

import io.netty.util.concurrent.EventExecutor;
import io.sekisho.policy.Answer;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Need;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Policy;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Route;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.RuntimeState;
import io.sekisho.proxy.upstream.UpstreamFailures;
import io.sekisho.proxy.upstream.UpstreamLocator;
import io.sekisho.proxy.upstream.UpstreamLocator.Located;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gate between an exchange and the policy (issue 10): it asks {@link Policy#decide},
 * gathers what the policy needs, adds it to the {@link Exchange} and asks again, until a
 * decision, which it hands to its {@link Host}. It serves CONNECTs, requests inside intercepted
 * tunnels and absolute-form requests alike.
 *
 * <p>The gate gathers addresses (routing and DNS, off the event loop) and key lookups
 * ({@code sts:GetAccessKeyInfo}, off the event loop) and a sign-in token's provenance from the
 * shared store (off the event loop) itself; the body it asks the host for, since
 * the host owns the client's reads. Work done off the loop comes back to the host's executor,
 * and is dropped when the host has stopped asking (the client went away). The gate never reads
 * a reason and never combines decisions: that is the policy's.
 */
public final class PolicyGate {
    private static final Logger log = LoggerFactory.getLogger(PolicyGate.class);

    /** What an exchange offers the gate. All calls arrive on {@link #executor()}. */
    public interface Host {
        /** Where the gate continues after work done off the event loop. */
        EventExecutor executor();

        /** False once the exchange ended: late answers are then dropped. */
        boolean asking();

        /**
         * Read the request body up to {@code need} (answering {@code 100 Continue} first when the
         * client waits for it), then call {@link PolicyGate#ask} with it added.
         */
        void readBody(Exchange x, BodyNeed need);

        /** The policy's final answer. */
        void decided(Exchange x, Decision d);

        /**
         * The destination could not be located (DNS, routing): not a policy decision.
         *
         * @param wouldDeny in report mode, the would-deny the name alone earned, for the audit
         *     line; else null
         */
        void unreachable(Reason reason, String cause, @Nullable Decision wouldDeny);
    }

    private final ProxyServices services;
    private final RuntimeState state;
    private final Host host;
    private @Nullable Located located;
    /** System.nanoTime() of the first question: the decision's latency runs from here. */
    private long firstAsked;

    /** @param state the configuration and policy the whole exchange is judged by */
    public PolicyGate(ProxyServices services, RuntimeState state, Host host) {
        this.services = services;
        this.state = state;
        this.host = host;
    }

    /** Where the destination was located, once the policy asked for addresses; else null. */
    public @Nullable Located located() {
        return located;
    }

    /** Asks until a decision, gathering what the policy needs on the way. */
    public void ask(Exchange x) {
        if (firstAsked == 0) {
            firstAsked = System.nanoTime();
        }
        Answer a = decideNow(state.policy(), x);
        if (a instanceof Decision d) {
            if (d.allowed() && located == null && needsDestination(x)) {
                // Allowed without an address check (a policy may judge by name alone): the
                // connection still needs the addresses.
                locate(x, found -> decided(x, d));
            } else {
                decided(x, d);
            }
        } else if (a instanceof Need.RequestBody b) {
            host.readBody(x, b.body());
        } else if (a instanceof Need.Addresses) {
            locate(x, found -> ask(x.withRoute(routeOf(found))));
        } else if (a instanceof Need.KeyLookup k) {
            lookUp(x, k.accessKeyId());
        } else if (a instanceof Need.Provenance && x.request() != null) {
            fetchProvenance(x, x.request().id());
        } else {
            // A need this phase cannot serve (a response body before any response): fail closed.
            log.error("policy asked for {} in phase {}; denying", a.getClass().getSimpleName(), x.phase());
            decided(x, Decision.internalError());
        }
    }

    private void decided(Exchange x, Decision d) {
        services.metrics().decisionTook(System.nanoTime() - firstAsked);
        host.decided(x, d);
    }

    /**
     * One answer, at once: for the phases whose needs the caller serves itself (trailers, the
     * response). A policy that throws or answers null is a bug: deny.
     */
    public static Answer decideNow(Policy policy, Exchange x) {
        try {
            Answer a = policy.decide(x);
            if (a != null) {
                return a;
            }
            log.error("policy answered null in phase {}; denying", x.phase());
        } catch (RuntimeException e) {
            // Only the class: the facts hold headers and bodies.
            log.error("policy failed in phase {}, denying: {}", x.phase(), e.getClass().getName());
        }
        return Decision.internalError();
    }

    /** A CONNECT, or an absolute-form request: the exchange decides its own destination. */
    private static boolean needsDestination(Exchange x) {
        return x.phase() == Exchange.Phase.CONNECT || (x.phase() == Exchange.Phase.REQUEST && x.tunnel() == null);
    }

    private void locate(Exchange x, Consumer<Located> then) {
        var connect = x.connect();
        HostName name;
        int port;
        if (connect != null) {
            name = connect.host();
            port = connect.port();
        } else {
            // Not a CONNECT: an absolute-form request, which names its own destination.
            var request = Objects.requireNonNull(x.request(), "a request phase holds its request");
            name = request.host();
            port = request.port();
        }
        new UpstreamLocator(services.resolver()).locate(state.routes(), name, port)
                .whenComplete((found, err) -> host.executor().execute(() -> {
                    if (!host.asking()) {
                        return;
                    }
                    if (err != null) {
                        services.metrics().decisionTook(System.nanoTime() - firstAsked);
                        host.unreachable(UpstreamFailures.reasonFor(err), "", wouldDenyByName(x));
                        return;
                    }
                    located = found;
                    then.accept(found);
                }));
    }

    /**
     * Report mode, a name that could not be resolved: the policy's verdict on the name alone (no
     * address to check), so that the audit line says what enforce would have done (issue 12 point
     * 7) rather than only that DNS failed. Null when the name passes or the policy needs more.
     */
    private @Nullable Decision wouldDenyByName(Exchange x) {
        // Per-group policies may run in report mode while the top level enforces: ask the policy.
        if (x.route() != null) {
            return null;
        }
        Answer a = decideNow(state.policy(), x.withRoute(new Route(List.of(), false, false)));
        return a instanceof Decision d && d.wouldDeny() ? d : null;
    }

    private static Route routeOf(Located l) {
        List<InetAddress> addresses = new ArrayList<>(l.addresses().size());
        for (InetSocketAddress a : l.addresses()) {
            addresses.add(a.getAddress());
        }
        return new Route(addresses, l.fromOverride(), l.viaParent());
    }

    private void lookUp(Exchange x, String accessKeyId) {
        // Success or failure, the answer lands in the policy's key cache; asking again reads it.
        services.keyLookup().lookup(accessKeyId).whenComplete((account, err) -> host.executor().execute(() -> {
            if (host.asking()) {
                ask(x.withKeyLookedUp(accessKeyId));
            }
        }));
    }

    private void fetchProvenance(Exchange x, String exchangeId) {
        // Success or failure, the answer lands in the policy's token store; asking again reads it.
        services.provenance().fetch(exchangeId).whenComplete((v, err) -> host.executor().execute(() -> {
            if (host.asking()) {
                ask(x.withProvenanceFetched());
            }
        }));
    }
}
