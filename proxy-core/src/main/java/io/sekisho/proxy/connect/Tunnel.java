package io.sekisho.proxy.connect;

import io.netty.channel.Channel;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.audit.AuditRecords;
import io.sekisho.proxy.channel.SplicedChannels;
import java.time.Instant;

/**
 * One established CONNECT: both channels and their byte counts ({@link SplicedChannels}), and the
 * decision, which the SNI check may still turn into a deny. Its audit line is written once, when
 * the tunnel closes.
 */
public final class Tunnel extends SplicedChannels {
    private final ProxyServices services;
    private final String requestId;
    private final Instant arrived;
    private final HostName host;
    private final int port;
    private final Mode mode;
    private final String userAgent;
    private String sni = "";
    private Decision decision;

    Tunnel(ProxyServices services, Channel client, Channel upstream, String requestId, Instant arrived, HostName host,
            int port, Mode mode, Decision decision, String userAgent) {
        super(client, upstream);
        this.userAgent = userAgent;
        this.services = services;
        this.requestId = requestId;
        this.arrived = arrived;
        this.host = host;
        this.port = port;
        this.mode = mode;
        this.decision = decision;
    }

    /** The host the CONNECT named, which the ClientHello's SNI must name too. */
    public HostName host() {
        return host;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * A later finding about this tunnel (the SNI check) replaces the CONNECT's decision. In
     * report mode the finding is applied as wouldDeny and the tunnel goes on.
     *
     * @return true when the tunnel may go on
     */
    public boolean refine(Reason reason) {
        Decision d = Decision.deny(reason, decision.rule()).withEvidence(decision.evidence()).inMode(mode);
        decision = d;
        if (!d.allowed()) {
            close();
            return false;
        }
        return true;
    }

    /** Both sides are closing: the tunnel's one audit line. */
    @Override
    protected void closed(long up, long down) {
        services.audit().write(AuditRecords.of(requestId, arrived, client()).connect(host.value(), port)
                .status(200).agent(userAgent, "").tls("", sni).bytes(up, down).endedAt(services.clock())
                .decided(decision, mode));
    }

    /** The SNI of the client's ClientHello, for the audit line. */
    void sni(String serverName) {
        this.sni = serverName;
    }
}
