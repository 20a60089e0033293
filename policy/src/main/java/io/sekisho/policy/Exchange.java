package io.sekisho.policy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the proxy knows of one exchange so far, as {@link Policy#decide} reads it. The
 * proxy starts one per CONNECT and per request, and adds to it what the policy asked for
 * ({@link Need}); each addition is a new value. One phase at a time:
 * <ul>
 *   <li>{@link Phase#CONNECT}: a destination by name and port, then by address;</li>
 *   <li>{@link Phase#REQUEST}: a request head, then its body, key lookups and (absolute-form)
 *       addresses, as asked;</li>
 *   <li>{@link Phase#TRAILERS}: the HTTP trailers that ended an allowed request's body;</li>
 *   <li>{@link Phase#RESPONSE}: the response to an allowed request, from which the policy learns
 *       (sign-in token provenance).</li>
 * </ul>
 */
public final class Exchange {
    /** Which part of the exchange is being decided. */
    public enum Phase { CONNECT, REQUEST, TRAILERS, RESPONSE }

    private final Phase phase;
    private final @Nullable ConnectFacts connect;
    private final @Nullable RequestFacts request;
    private final boolean requestHasBody;
    private final boolean expectsContinue;
    private final boolean bodyRead;
    private final @Nullable Decision tunnel;
    private final @Nullable Route route;
    private final List<String> keysLookedUp;
    private final boolean provenanceFetched;
    private final @Nullable Decision decided;
    private final @Nullable Headers trailers;
    private final @Nullable ResponseFacts response;
    /** Shared by every exchange derived from the same CONNECT or request head. */
    private final RequestMemo memo;
    /** Who asked, from where: the same for every exchange derived from one CONNECT or request head. */
    private final Client client;

    /** The client's identity and address, as the proxy established them. */
    private record Client(Identity identity, @Nullable InetAddress address) {
        static final Client UNKNOWN = new Client(Identity.ANONYMOUS, null);
    }

    private Exchange(Phase phase, @Nullable ConnectFacts connect, @Nullable RequestFacts request,
            boolean requestHasBody, boolean expectsContinue, boolean bodyRead, @Nullable Decision tunnel,
            @Nullable Route route, List<String> keysLookedUp, boolean provenanceFetched, @Nullable Decision decided,
            @Nullable Headers trailers, @Nullable ResponseFacts response, RequestMemo memo, Client client) {
        this.phase = phase;
        this.connect = connect;
        this.request = request;
        this.requestHasBody = requestHasBody;
        this.expectsContinue = expectsContinue;
        this.bodyRead = bodyRead;
        this.tunnel = tunnel;
        this.route = route;
        this.keysLookedUp = keysLookedUp;
        this.provenanceFetched = provenanceFetched;
        this.decided = decided;
        this.trailers = trailers;
        this.response = response;
        this.memo = memo;
        this.client = client;
    }

    /** A CONNECT (or any destination before a request is seen). */
    public static Exchange connect(ConnectFacts facts) {
        return new Exchange(Phase.CONNECT, Objects.requireNonNull(facts), null, false, false, false, null, null,
                List.of(), false, null, null, null, new RequestMemo(), Client.UNKNOWN);
    }

    /**
     * A request head.
     *
     * @param hasBody the head announces a body (Content-Length &gt; 0 or chunked)
     * @param expectsContinue the client waits for {@code 100 Continue} before it sends the body
     * @param tunnel the decision of the intercepted CONNECT the request came in, or null for an
     *     absolute-form request (whose destination this exchange then decides too)
     */
    public static Exchange request(RequestFacts facts, boolean hasBody, boolean expectsContinue,
            @Nullable Decision tunnel) {
        return new Exchange(Phase.REQUEST, null, Objects.requireNonNull(facts), hasBody, expectsContinue, false,
                tunnel, null, List.of(), false, null, null, null, new RequestMemo(), Client.UNKNOWN);
    }

    /** With the route the destination resolved to. */
    public Exchange withRoute(Route r) {
        return new Exchange(phase, connect, request, requestHasBody, expectsContinue, bodyRead, tunnel,
                Objects.requireNonNull(r), keysLookedUp, provenanceFetched, decided, trailers, response, memo, client);
    }

    /** With the request body the policy asked for ({@code complete}: all of it). */
    public Exchange withRequestBody(ByteBuffer body, boolean complete) {
        RequestFacts withBody = Objects.requireNonNull(request, "a body belongs to a request")
                .withBody(Objects.requireNonNull(body), complete);
        return new Exchange(phase, connect, withBody, requestHasBody, expectsContinue, true, tunnel, route,
                keysLookedUp, provenanceFetched, decided, trailers, response, memo, client);
    }

    /**
     * With {@code kept} as its request: the same request as the proxy keeps it for the response
     * (without the body captured for the decision, or with a copy of it), so that the response
     * is judged with what the policy worked out for the request (its memo).
     *
     * @throws IllegalArgumentException when {@code kept} is another request
     */
    public Exchange withRequest(RequestFacts kept) {
        RequestFacts r = Objects.requireNonNull(request, "a request phase holds its request");
        if (!kept.id().equals(r.id()) || !kept.host().equals(r.host())) {
            throw new IllegalArgumentException("another request");
        }
        return new Exchange(phase, connect, kept, requestHasBody, expectsContinue, bodyRead, tunnel, route,
                keysLookedUp, provenanceFetched, decided, trailers, response, memo, client);
    }

    /** With one more key looked up (its answer, or its failure, is in the policy's key cache). */
    public Exchange withKeyLookedUp(String accessKeyId) {
        List<String> keys = new ArrayList<>(keysLookedUp);
        keys.add(Objects.requireNonNull(accessKeyId));
        return new Exchange(phase, connect, request, requestHasBody, expectsContinue, bodyRead, tunnel, route,
                List.copyOf(keys), provenanceFetched, decided, trailers, response, memo, client);
    }

    /** With the shared store's answer on this request's sign-in token fetched (held by the policy's token store). */
    public Exchange withProvenanceFetched() {
        return new Exchange(phase, connect, request, requestHasBody, expectsContinue, bodyRead, tunnel, route,
                keysLookedUp, true, decided, trailers, response, memo, client);
    }

    /** The trailers of a request that was allowed with {@code decision}. */
    public Exchange withTrailers(Decision decision, Headers t) {
        return new Exchange(Phase.TRAILERS, connect, request, requestHasBody, expectsContinue, bodyRead, tunnel, route,
                keysLookedUp, provenanceFetched, Objects.requireNonNull(decision),
                Objects.requireNonNull(t), null, memo, client);
    }

    /** The response (its head, or its head and the body bytes asked for) to a request allowed with {@code decision}. */
    public Exchange withResponse(Decision decision, ResponseFacts r) {
        return new Exchange(Phase.RESPONSE, connect, request, requestHasBody, expectsContinue, bodyRead, tunnel, route,
                keysLookedUp, provenanceFetched, Objects.requireNonNull(decision),
                trailers, Objects.requireNonNull(r), memo, client);
    }

    /**
     * The same exchange, sent by {@code identity} from {@code address} (null when not an IP
     * connection): what per-group policies select on and what {@code aws.sts.roleSessionName}
     * compares with. The proxy sets it once, when it starts the exchange.
     */
    public Exchange from(Identity identity, @Nullable InetAddress address) {
        memo.identity(Objects.requireNonNull(identity));
        return new Exchange(phase, connect, request, requestHasBody, expectsContinue, bodyRead, tunnel, route,
                keysLookedUp, provenanceFetched, decided, trailers, response, memo, new Client(identity, address));
    }

    /** Who sent the exchange; {@link Identity#ANONYMOUS} when no one proved it. */
    public Identity identity() {
        return client.identity();
    }

    /** The client's address; null when the proxy did not give it. */
    public @Nullable InetAddress clientAddress() {
        return client.address();
    }

    public Phase phase() {
        return phase;
    }

    /** The destination of a {@link Phase#CONNECT}; null in the other phases. */
    public @Nullable ConnectFacts connect() {
        return connect;
    }

    /** The request; null in {@link Phase#CONNECT}. */
    public @Nullable RequestFacts request() {
        return request;
    }

    public boolean requestHasBody() {
        return requestHasBody;
    }

    public boolean expectsContinue() {
        return expectsContinue;
    }

    /** True once the body the policy asked for was added. */
    public boolean bodyRead() {
        return bodyRead;
    }

    /** The intercepted CONNECT's decision, or null (a CONNECT, or an absolute-form request). */
    public @Nullable Decision tunnel() {
        return tunnel;
    }

    /** Where the destination resolved; null until the policy asked and the proxy answered. */
    public @Nullable Route route() {
        return route;
    }

    public boolean keyLookedUp(String accessKeyId) {
        return keysLookedUp.contains(accessKeyId);
    }

    /** True once the proxy fetched this request's sign-in token provenance ({@link Need#PROVENANCE}). */
    public boolean provenanceFetched() {
        return provenanceFetched;
    }

    /** The request's final decision, in {@link Phase#TRAILERS} and {@link Phase#RESPONSE}. */
    public @Nullable Decision decided() {
        return decided;
    }

    public @Nullable Headers trailers() {
        return trailers;
    }

    public @Nullable ResponseFacts response() {
        return response;
    }

    /** What the policy worked out about this exchange so far (see {@link RequestMemo}). */
    RequestMemo memo() {
        return memo;
    }
}
