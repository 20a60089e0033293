package io.sekisho.policy;

import java.util.Objects;

/**
 * A destination the client asked for before any request is seen: a CONNECT target, or the
 * host of an absolute-form request.
 *
 * @param client the client's address, for the audit log ("127.0.0.1:53122")
 * @param host the normalised destination name or IP literal
 * @param port the destination port
 */
public record ConnectFacts(String client, HostName host, int port) {
    public ConnectFacts {
        Objects.requireNonNull(client);
        Objects.requireNonNull(host);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
