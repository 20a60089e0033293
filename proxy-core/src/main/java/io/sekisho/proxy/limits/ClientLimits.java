package io.sekisho.proxy.limits;

import io.netty.channel.Channel;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.RequestIds;
import io.sekisho.proxy.audit.AuditLog;
import io.sekisho.proxy.audit.AuditRecords;
import io.sekisho.proxy.audit.AuditThrottle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;

/**
 * What all client connections of one proxy share to stay within {@code limits.*}: the counts of
 * open connections, the budget of unfinished request heads, and the throttled audit of
 * refusals. Thread-safe; one per running proxy.
 */
public final class ClientLimits {
    /** Audit lines per second and per reason for refusals a flood can cause (docs/configuration.md). */
    public static final int AUDIT_LINES_PER_SECOND = 20;
    /** Where a connection without an IP address (never TCP) is counted. */
    private static final InetAddress NO_ADDRESS = new InetSocketAddress(0).getAddress();

    private final ConnectionCounts connections = new ConnectionCounts();
    private final HeadBudget headBudget = new HeadBudget();
    private final AuditThrottle refusals;
    private final Clock clock;
    private final RequestIds ids;

    public ClientLimits(AuditLog audit, Clock clock, RequestIds ids) {
        this.clock = clock;
        this.ids = ids;
        this.refusals = new AuditThrottle(audit, clock, AUDIT_LINES_PER_SECOND);
    }

    /**
     * Takes a connection slot for a newly accepted {@code ch} until it closes. False when
     * {@code limits.maxConnections} or {@code limits.maxConnectionsPerClient} is reached: the
     * refusal is audited (throttled) and the caller closes the connection without reading it.
     */
    public boolean admit(Channel ch, SekishoConfig.Limits limits, Mode mode) {
        InetAddress address = addressOf(ch.remoteAddress());
        ConnectionCounts.Admission a = connections.tryAcquire(address, limits.maxConnections(),
                limits.maxConnectionsPerClient());
        if (a == ConnectionCounts.Admission.ADMITTED) {
            ch.closeFuture().addListener(f -> connections.release(address));
            return true;
        }
        String rule = a == ConnectionCounts.Admission.TOTAL_FULL ? "limits.maxConnections"
                : "limits.maxConnectionsPerClient";
        refuse(ch, Decision.deny(Reason.CONNECTION_LIMIT, rule), mode, ids.next());
        return false;
    }

    /**
     * Audits a refusal a flood can cause, before any request was read (no method, host or
     * bytes), at most {@link #AUDIT_LINES_PER_SECOND} a second for its reason.
     */
    public void refuse(Channel ch, Decision d, Mode mode, String requestId) {
        refusals.write(AuditRecords.of(requestId, clock.instant(), ch).decided(d, mode));
    }

    public ConnectionCounts connections() {
        return connections;
    }

    /** {@code limits.maxPendingHeadBytes}, charged by each connection's {@code HeadBudgetHandler}. */
    public HeadBudget headBudget() {
        return headBudget;
    }

    private static InetAddress addressOf(SocketAddress a) {
        return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress() : NO_ADDRESS;
    }
}
