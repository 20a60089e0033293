package io.sekisho.proxy.forward;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.policy.RequestFacts;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.audit.AuditRecords;
import java.time.Instant;

/** Counts one exchange's body bytes, writes its single audit line, and times its upstream response. */
final class ExchangeAudit {
    private final ProxyServices services;
    private final RequestFacts facts;
    /**
     * The request's {@code User-Agent} and {@code Referer}, read when the exchange starts, while its
     * head is fresh in the CPU's caches, by Netty's names, whose hashes are kept.
     */
    private final String agent;
    private final String referer;
    private final Instant arrived;
    private final Mode mode;
    private final Identity identity;
    private long bytesUp;
    private long bytesDown;
    private int status;
    private String tlsVersion = "";
    private String sni = "";
    private boolean written;

    ExchangeAudit(ProxyServices services, RequestFacts facts, HttpHeaders headers, Instant arrived, Mode mode,
            Identity identity) {
        this.services = services;
        this.identity = identity;
        this.facts = facts;
        this.agent = header(headers, HttpHeaderNames.USER_AGENT);
        this.referer = header(headers, HttpHeaderNames.REFERER);
        this.arrived = arrived;
        this.mode = mode;
    }

    void up(int bytes) {
        bytesUp += bytes;
    }

    /** The status sent to the client: the upstream's, or a block response's. */
    void status(int code) {
        status = code;
    }

    /** The client's TLS (an intercepted exchange): version and SNI. */
    void tls(String version, String serverName) {
        tlsVersion = version;
        sni = serverName;
    }

    void down(int bytes) {
        bytesDown += bytes;
    }

    /** What a relay after an upgrade carried (WebSocket frames, as bytes) each way. */
    void relayed(long up, long down) {
        bytesUp += up;
        bytesDown += down;
    }

    private static String header(HttpHeaders headers, CharSequence name) {
        String v = headers.get(name);
        return v == null ? "" : v;
    }

    /** The upstream's response latency, for the metrics (0: unknown). */
    void upstreamResponseTook(long nanos) {
        services.metrics().upstreamResponseTook(nanos);
    }

    /** Writes the line with {@code d}; later calls do nothing (one line per exchange). */
    void write(Decision d) {
        if (written) {
            return;
        }
        written = true;
        services.audit().write(AuditRecords.of(facts.id(), arrived, facts.client())
                .request(facts.method(), facts.host().value(), facts.port(), facts.path()).bytes(bytesUp, bytesDown)
                .status(status).scheme(facts.scheme()).query(!facts.query().isEmpty())
                .agent(agent, referer)
                .tls(tlsVersion, sni)
                .endedAt(services.clock()).identity(identity).decided(d, mode));
    }
}
