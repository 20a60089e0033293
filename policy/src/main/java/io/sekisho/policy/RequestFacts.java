package io.sekisho.policy;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One HTTP request as the policy sees it, before anything is sent upstream.
 *
 * @param id correlation id, equal to the audit line's {@code requestId}
 * @param client the client's address ("127.0.0.1:53122")
 * @param method the request method, as sent
 * @param scheme "https" inside an intercepted tunnel, "http" for absolute-form requests
 * @param host the normalised target host (from the CONNECT, or the absolute URI)
 * @param port the target port
 * @param path the raw path, without the query ("/" at least)
 * @param query the raw query string without '?', "" when none
 * @param headers the request headers, order kept
 * @param body the first bytes of the body when the policy asked for them (read-only,
 *     position 0), else null
 * @param bodyComplete true when {@code body} holds the entire body
 * @param connectHost the CONNECT target that carries this request, or null for absolute-form
 */
public record RequestFacts(
        String id,
        String client,
        String method,
        String scheme,
        HostName host,
        int port,
        String path,
        String query,
        Headers headers,
        @Nullable ByteBuffer body,
        boolean bodyComplete,
        @Nullable HostName connectHost) {

    public RequestFacts {
        Objects.requireNonNull(id);
        Objects.requireNonNull(client);
        Objects.requireNonNull(method);
        Objects.requireNonNull(scheme);
        Objects.requireNonNull(host);
        Objects.requireNonNull(path);
        Objects.requireNonNull(query);
        Objects.requireNonNull(headers);
    }

    /** The same request with (a prefix of) its body attached. */
    public RequestFacts withBody(ByteBuffer b, boolean complete) {
        return new RequestFacts(id, client, method, scheme, host, port, path, query, headers,
                b == null ? null : b.asReadOnlyBuffer(), complete, connectHost);
    }
}
