package io.sekisho.proxy.block;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link BlockRenderer} may use to build a block response body. Nothing here holds a
 * query string or a credential: {@code path} has had its query and fragment cut off, and the
 * evidence holds account IDs and a masked key only.
 *
 * @param decision the deny (or failure) decision; its evidence says which AWS protocol the
 *     client speaks
 * @param status the HTTP status chosen for the reason
 * @param accept the request's {@code Accept} header ("" when absent or for a CONNECT)
 * @param host the destination host ("" when unknown)
 * @param requestId the audit line's request id
 * @param connect true for a refused CONNECT: only a plain-text body makes sense there
 * @param path the request path without query or fragment, shortened for display ("" when unknown)
 * @param requestContentType the request's {@code Content-Type} ("" when absent): a JSON-protocol
 *     error answers in the same {@code application/x-amz-json-1.x} version
 * @param user the user the client proved to be ({@code auth}), shown on the HTML page; "" when anonymous
 */
public record BlockContext(Decision decision, HttpResponseStatus status, String accept, String host,
        String requestId, boolean connect, String path, String requestContentType, String user) {

    public BlockContext {
        Objects.requireNonNull(decision);
        Objects.requireNonNull(status);
        Objects.requireNonNull(accept);
        Objects.requireNonNull(host);
        Objects.requireNonNull(requestId);
        Objects.requireNonNull(path);
        Objects.requireNonNull(requestContentType);
        Objects.requireNonNull(user);
    }

    /** A context of an anonymous request. */
    public BlockContext(Decision decision, HttpResponseStatus status, String accept, String host, String requestId,
            boolean connect, String path, String requestContentType) {
        this(decision, status, accept, host, requestId, connect, path, requestContentType, "");
    }

    /** A context without path or request media type (refused CONNECTs, early protocol errors). */
    public BlockContext(Decision decision, HttpResponseStatus status, String accept, String host, String requestId,
            boolean connect) {
        this(decision, status, accept, host, requestId, connect, "", "", "");
    }

    public AwsProtocol protocol() {
        return decision.evidence().protocol();
    }

    /** The principal account first, then each resource account once; empty when none is known. */
    public List<String> accounts() {
        Evidence e = decision.evidence();
        List<String> out = new ArrayList<>();
        if (!e.principalAccount().isEmpty()) {
            out.add(e.principalAccount());
        }
        for (String a : e.resourceAccounts()) {
            if (!a.isEmpty() && !out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** True when the client asked for an HTML page (a browser navigation, not an XHR or API call). */
    public boolean acceptsHtml() {
        return accept.toLowerCase(Locale.ROOT).contains("text/html");
    }
}
