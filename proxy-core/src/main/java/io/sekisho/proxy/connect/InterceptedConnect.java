package io.sekisho.proxy.connect;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.audit.AuditRecords;
import java.time.Instant;

/**
 * One intercepted CONNECT until the client's TLS handshake is over: its decision, which the
 * ClientHello may still turn into a deny (SNI_MISMATCH, NOT_TLS), and its audit line, written
 * once when the handshake ends either way. Each request inside then has a line of its own.
 * Lives on the client's event loop.
 */
public final class InterceptedConnect {
    private final ProxyServices services;
    private final Channel client;
    private final String requestId;
    private final Instant arrived;
    private final String host;
    private final int port;
    private final Mode mode;
    private final String userAgent;
    private Decision decision;
    private boolean written;
    private String tlsVersion = "";
    private String sni = "";

    InterceptedConnect(ProxyServices services, Channel client, String requestId, Instant arrived, String host,
            int port, Mode mode, Decision decision, String userAgent) {
        this.userAgent = userAgent;
        this.services = services;
        this.client = client;
        this.requestId = requestId;
        this.arrived = arrived;
        this.host = host;
        this.port = port;
        this.mode = mode;
        this.decision = decision;
    }

    /**
     * A policy finding about the handshake (SNI_MISMATCH): enforced, it ends the connection; in
     * report mode it is recorded as wouldDeny and the interception goes on.
     *
     * @return true when the connection may go on
     */
    boolean refine(Reason reason) {
        Decision d = Decision.deny(reason, decision.rule()).withEvidence(decision.evidence()).inMode(mode);
        decision = d;
        if (!d.allowed()) {
            close();
            return false;
        }
        return true;
    }

    /**
     * The connection cannot go on whatever the mode (NOT_TLS: there is nothing to decrypt;
     * CLIENT_TLS_FAILED; INTERNAL_ERROR when no leaf could be minted).
     */
    void fail(Reason reason, String cause) {
        if (!written) {
            decision = Decision.deny(reason, cause.isEmpty() ? decision.rule() : cause)
                    .withEvidence(decision.evidence());
        }
        close();
    }

    /** The client's TLS is up: the CONNECT's line says so; the requests follow on their own lines. */
    void established(String version, String serverName) {
        tlsVersion = version;
        sni = serverName;
        write();
    }

    private void close() {
        write();
        if (client.isActive()) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void write() {
        if (written) {
            return;
        }
        written = true;
        services.audit().write(AuditRecords.of(requestId, arrived, client).connect(host, port)
                .status(200).agent(userAgent, "").tls(tlsVersion, sni).endedAt(services.clock())
                .decided(decision, mode));
    }
}
