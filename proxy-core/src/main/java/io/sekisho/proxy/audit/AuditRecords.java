package io.sekisho.proxy.audit;

import io.netty.channel.Channel;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.proxy.channel.ClientAddress;
import io.sekisho.proxy.channel.ClientIdentity;
import java.time.Clock;
import java.time.Instant;

/**
 * The one way the proxy builds an {@link AuditRecord}: from what is known when a request or
 * CONNECT arrives (id, time, client), what it asked for, how much it carried and how long it
 * took, and last the decision. What a line does not set stays at its "not known" value ("",
 * 0), as {@link AuditJson} writes it: a refusal before any request head names no method or host.
 */
public final class AuditRecords {
    private AuditRecords() {
    }

    /** The line of the request or CONNECT {@code requestId}, which arrived at {@code arrived} from {@code client}. */
    public static Builder of(String requestId, Instant arrived, String client) {
        return new Builder(requestId, arrived, client);
    }

    /** As {@link #of(String, Instant, String)}, for a client connection: its address and the identity it proved. */
    public static Builder of(String requestId, Instant arrived, Channel client) {
        return new Builder(requestId, arrived, ClientAddress.of(client)).identity(ClientIdentity.of(client));
    }

    /** Collects one line's fields; {@link #decided} builds it. Not thread-safe: one owner, one line. */
    public static final class Builder {
        private final String requestId;
        private final Instant arrived;
        private final String client;
        private String method = "";
        private String host = "";
        private int port;
        private String path = "";
        private long bytesUp;
        private long bytesDown;
        private long durationMs;
        private int status;
        private String scheme = "";
        private String userAgent = "";
        private String referer = "";
        private String tlsVersion = "";
        private String sni = "";
        private boolean hadQuery;
        private Identity identity = Identity.ANONYMOUS;

        private Builder(String requestId, Instant arrived, String client) {
            this.requestId = requestId;
            this.arrived = arrived;
            this.client = client;
        }

        /** A request's method ("" when unreadable), destination and path (without its query). */
        public Builder request(String method, String host, int port, String path) {
            this.method = method;
            this.host = host;
            this.port = port;
            this.path = path;
            return this;
        }

        /** Whether the request target had a query (dropped from the line, counted for Squid's "?"). */
        public Builder query(boolean had) {
            this.hadQuery = had;
            return this;
        }

        /** The status sent to the client (0: none). */
        public Builder status(int code) {
            this.status = code;
            return this;
        }

        /** "http" or "https" (requests only). */
        public Builder scheme(String s) {
            this.scheme = s;
            return this;
        }

        /** The request's User-Agent and Referer ("" when absent). */
        public Builder agent(String ua, String ref) {
            this.userAgent = ua;
            this.referer = ref;
            return this;
        }

        /** The client's TLS version (where terminated) and SNI ("" when unknown). */
        public Builder tls(String version, String serverName) {
            this.tlsVersion = version;
            this.sni = serverName;
            return this;
        }

        /** A CONNECT to {@code host:port}: it has no path. */
        public Builder connect(String host, int port) {
            return request("CONNECT", host, port, "");
        }

        /** Body (or tunnel) bytes client → upstream and upstream → client. */
        public Builder bytes(long up, long down) {
            this.bytesUp = up;
            this.bytesDown = down;
            return this;
        }

        /** Ended now by {@code clock}: the duration since arrival, never negative (a wall clock may step back). */
        public Builder endedAt(Clock clock) {
            return lasted(Math.max(0, clock.millis() - arrived.toEpochMilli()));
        }

        /** Who the client proved to be; anonymous unless set. */
        public Builder identity(Identity who) {
            this.identity = who;
            return this;
        }

        public Builder lasted(long millis) {
            this.durationMs = millis;
            return this;
        }

        /**
         * The line, with the decision and the mode in force when it was made: the mode of the
         * policy that made it ({@code policies} entries have their own), else {@code mode}.
         */
        public AuditRecord decided(Decision decision, Mode mode) {
            Mode applied = decision.policy().none() ? mode : decision.policy().mode();
            return new AuditRecord(arrived, requestId, client, method, host, port, path, decision, applied, bytesUp,
                    bytesDown, durationMs, new AuditRecord.Http(status, scheme, userAgent, referer, tlsVersion, sni,
                            hadQuery), identity);
        }
    }
}
