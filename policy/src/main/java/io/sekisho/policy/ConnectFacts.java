package io.sekisho.policy;

import java.util.Objects;

/**
 * A destination the client asked for before any request is seen: a CONNECT target, or the
 * host of an absolute-form request.
 *
 * @param client the client's address, for the audit log ("127.0.0.1:53122")
 * @param host the normalised destination name or IP literal
 * @param port the destination port
 * @param kind how the client asked for it, so that the engine checks the right port list
 *     ({@code ports.connect} for a CONNECT, {@code ports.http} for an absolute-form request)
 */
public record ConnectFacts(String client, HostName host, int port, Kind kind) {

    /** How a destination was requested. */
    public enum Kind {
        /** {@code CONNECT host:port}: a tunnel, possibly intercepted. */
        CONNECT,
        /** {@code GET http://host:port/…}: a plain-HTTP request forwarded by the proxy. */
        ABSOLUTE_FORM
    }

    public ConnectFacts {
        Objects.requireNonNull(client);
        Objects.requireNonNull(host);
        Objects.requireNonNull(kind);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** A CONNECT destination. */
    public ConnectFacts(String client, HostName host, int port) {
        this(client, host, port, Kind.CONNECT);
    }
}
