package io.sekisho.proxy.explain;

import io.sekisho.policy.Nullable;
import java.util.List;
import java.util.Objects;

/**
 * One request to judge offline, as read from an input (a URL, a curl command line, a HAR entry,
 * a raw HTTP request file).
 *
 * @param source where it came from, for the output ("login.har#3", "request.http", "curl")
 * @param method the request method
 * @param scheme "https" (judged as the proxy judges a request inside an intercepted CONNECT) or
 *     "http" (an absolute-form request)
 * @param host the host as written
 * @param port the port
 * @param path the raw path, "/" at least
 * @param query the raw query without '?', "" when none
 * @param headers name/value pairs, order kept
 * @param body the body bytes (empty when none)
 * @param response the response the browser saw (HAR), replayed so the policy can learn from
 *     it as the proxy would (sign-in token provenance); null when the input has none
 * @param startedAt the HAR entry's {@code startedDateTime}, "" when unknown
 */
// The body is read-only bytes handed to the policy as a buffer; records compare them by identity, never used.
@SuppressWarnings("ArrayRecordComponent")
public record ExplainRequest(String source, String method, String scheme, String host, int port, String path,
        String query, List<String[]> headers, byte[] body, @Nullable RecordedResponse response, String startedAt) {

    public ExplainRequest {
        Objects.requireNonNull(source);
        Objects.requireNonNull(method);
        Objects.requireNonNull(scheme);
        Objects.requireNonNull(host);
        Objects.requireNonNull(path);
        Objects.requireNonNull(query);
        headers = List.copyOf(headers);
        Objects.requireNonNull(body);
        Objects.requireNonNull(startedAt);
    }

    /** The URL as a browser shows it, with the credentials in its query cut ({@link SafeQuery}). */
    public String url() {
        boolean defaultPort = (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        String authority = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        String q = query.isEmpty() ? "" : "?" + SafeQuery.of(query);
        return scheme + "://" + authority + (defaultPort ? "" : ":" + port) + path + q;
    }

    /** True when a header named {@code name} (any case) is present. */
    public boolean hasHeader(String name) {
        return headers.stream().anyMatch(h -> h[0].equalsIgnoreCase(name));
    }

    /**
     * A response as recorded in a HAR file.
     *
     * @param status the HTTP status
     * @param headers name/value pairs
     * @param body the decoded body (HAR {@code content.text}), empty when not saved
     */
    @SuppressWarnings("ArrayRecordComponent") // as the request's body
    public record RecordedResponse(int status, List<String[]> headers, byte[] body) {
        public RecordedResponse {
            headers = List.copyOf(headers);
            Objects.requireNonNull(body);
        }
    }
}
