package io.sekisho.proxy.connect;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.ProxyServices;
import io.sekisho.proxy.audit.AuditRecords;
import java.time.Instant;

/**
 * One established CONNECT: both channels (on the same event loop, so no locking), the byte
 * counts, and the decision, which the SNI check may still turn into a deny. Its audit line is
 * written once, when the tunnel closes.
 */
public final class Tunnel {
    private final ProxyServices services;
    private final Channel client;
    private final Channel upstream;
    private final String requestId;
    private final Instant arrived;
    private final HostName host;
    private final int port;
    private final Mode mode;
    private final String userAgent;
    private String sni = "";
    private Decision decision;
    private long bytesUp;
    private long bytesDown;
    private boolean clientInputDone;
    private boolean upstreamInputDone;
    private boolean closed;

    Tunnel(ProxyServices services, Channel client, Channel upstream, String requestId, Instant arrived, HostName host,
            int port, Mode mode, Decision decision, String userAgent) {
        this.userAgent = userAgent;
        this.services = services;
        this.client = client;
        this.upstream = upstream;
        this.requestId = requestId;
        this.arrived = arrived;
        this.host = host;
        this.port = port;
        this.mode = mode;
        this.decision = decision;
    }

    public Channel client() {
        return client;
    }

    public Channel upstream() {
        return upstream;
    }

    /** The host the CONNECT named, which the ClientHello's SNI must name too. */
    public HostName host() {
        return host;
    }

    public Mode mode() {
        return mode;
    }

    /** The other end of {@code ch}. */
    Channel peerOf(Channel ch) {
        return ch == client ? upstream : client;
    }

    void counted(Channel from, int bytes) {
        if (from == client) {
            bytesUp += bytes;
        } else {
            bytesDown += bytes;
        }
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

    /**
     * One side sent FIN: pass it on as a FIN (after what is queued for the peer), and close
     * both once both directions are done (half-close, RFC 9293 §3.6).
     */
    void inputShutdown(Channel side) {
        if (side == client) {
            clientInputDone = true;
        } else {
            upstreamInputDone = true;
        }
        Channel peer = peerOf(side);
        if ((clientInputDone && upstreamInputDone) || !peer.isActive()) {
            close();
            return;
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (f.isSuccess() && peer instanceof DuplexChannel d) {
                d.shutdownOutput();
            } else {
                close();
            }
        });
    }

    /** Closes both sides after what is queued is flushed, and writes the audit line once. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeOnFlush(client);
        closeOnFlush(upstream);
        services.audit().write(AuditRecords.of(requestId, arrived, client).connect(host.value(), port)
                .status(200).agent(userAgent, "").tls("", sni).bytes(bytesUp, bytesDown).endedAt(services.clock())
                .decided(decision, mode));
    }

    /** The SNI of the client's ClientHello, for the audit line. */
    void sni(String serverName) {
        this.sni = serverName;
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }
}
