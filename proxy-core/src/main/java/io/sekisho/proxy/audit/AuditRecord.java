package io.sekisho.proxy.audit;

import io.sekisho.policy.Decision;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import java.time.Instant;
import java.util.Objects;

/**
 * One decision as it is written to the audit log: one line per CONNECT (written when the tunnel
 * closes, or at once when it is denied), per forwarded request and per denial.
 *
 * @param time when the request or CONNECT arrived
 * @param requestId correlation id (also in {@code X-Sekisho-Request-Id} of block responses)
 * @param client the client's address
 * @param method the request method ("CONNECT" for tunnels), "" when the request line was unreadable
 * @param host the normalised destination, "" when unknown
 * @param port the destination port, 0 when unknown
 * @param path the path without its query string ("" for CONNECT): queries carry secrets
 *     (presigned URL signatures, sign-in tokens) and never reach the log
 * @param decision verdict, reason, rule, wouldDeny and evidence
 * @param mode the mode in force when the decision was made
 * @param bytesUp body (or tunnel) bytes sent from the client towards the upstream
 * @param bytesDown body (or tunnel) bytes sent from the upstream to the client
 * @param durationMs from arrival to the end of the exchange or tunnel
 * @param http the status, user agent and TLS facts: {@link Http}
 * @param identity who the client proved to be ({@code auth}); anonymous when off or not proved
 */
public record AuditRecord(
        Instant time,
        String requestId,
        String client,
        String method,
        String host,
        int port,
        String path,
        Decision decision,
        Mode mode,
        long bytesUp,
        long bytesDown,
        long durationMs,
        Http http,
        Identity identity) {

    public AuditRecord {
        Objects.requireNonNull(time);
        Objects.requireNonNull(requestId);
        Objects.requireNonNull(client);
        Objects.requireNonNull(method);
        Objects.requireNonNull(host);
        Objects.requireNonNull(path);
        Objects.requireNonNull(decision);
        Objects.requireNonNull(mode);
        Objects.requireNonNull(http);
        Objects.requireNonNull(identity);
    }

    /**
     * The HTTP and TLS facts of the line; each is "" (0 for the status) when not known.
     *
     * @param status the status sent to the client: the upstream's, a block response's, 200 for
     *     an established CONNECT; 0 when none was sent (a connection closed unread)
     * @param scheme "http" or "https" for requests, "" for CONNECT
     * @param userAgent the request's (or CONNECT's) User-Agent
     * @param referer the request's Referer (the access log's combined format)
     * @param tlsVersion the client's TLS version where Sekisho terminated it (interception)
     * @param sni the server name of the client's ClientHello (tunnels and interceptions)
     * @param hadQuery whether the request target had a query (its text is never kept); Squid's
     *     access log ends such a URL with "?"
     */
    public record Http(int status, String scheme, String userAgent, String referer, String tlsVersion, String sni,
            boolean hadQuery) {
        public static final Http NONE = new Http(0, "", "", "", "", "", false);

        public Http {
            Objects.requireNonNull(scheme);
            Objects.requireNonNull(userAgent);
            Objects.requireNonNull(referer);
            Objects.requireNonNull(tlsVersion);
            Objects.requireNonNull(sni);
        }
    }
}
