package io.sekisho.e2e;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request exactly as the fake origin received it.
 *
 * <p>{@code headers} keep the order and the name casing of the wire, so an e2e test can compare the
 * headers that a SigV4 signature covers before and after the proxy. Values are the field values of
 * RFC 9110 §5.5 (the parser drops the optional whitespace around them, which signing also ignores).
 * {@code body} is the message body after HTTP/1.1 chunked framing is removed; an
 * {@code aws-chunked} content coding is kept as sent. {@code trailers} are HTTP/1.1 chunked
 * trailers, if any.
 *
 * @param sequence      1-based arrival order across the whole origin
 * @param tls           whether it came over the HTTPS listener
 * @param sni           TLS server name the client sent, or null (plain HTTP, or an IP literal)
 * @param expectContinue whether the origin answered {@code 100 Continue} before reading the body
 */
public record RecordedRequest(
        long sequence,
        Instant receivedAt,
        boolean tls,
        String sni,
        String method,
        String uri,
        String protocol,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        List<Map.Entry<String, String>> trailers,
        boolean expectContinue) {

    public RecordedRequest {
        headers = List.copyOf(headers);
        trailers = List.copyOf(trailers);
    }

    /** First value of a header, name compared case-insensitively. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    /** Every value of a header, in wire order. */
    public List<String> headers(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    /** Header names in wire order and casing. */
    public List<String> headerNames() {
        return headers.stream().map(Map.Entry::getKey).toList();
    }

    /** Host (from the Host header, else SNI) without port, lower case. */
    public String host() {
        String host = header("Host").orElse(sni == null ? "" : sni);
        if (host.startsWith("[")) {
            return host.substring(1, host.indexOf(']')).toLowerCase(Locale.ROOT);
        }
        int colon = host.lastIndexOf(':');
        return (colon > 0 ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
    }

    /** The path of the request target (origin-form, or the path of an absolute-form target). */
    public String path() {
        String target = uri;
        if (target.startsWith("http://") || target.startsWith("https://")) {
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** The raw query string, or "" when there is none. */
    public String rawQuery() {
        int query = uri.indexOf('?');
        return query < 0 ? "" : uri.substring(query + 1);
    }

    /** Decoded query parameters; a repeated name keeps its first value. */
    public Map<String, String> query() {
        return decodeForm(rawQuery());
    }

    /** Decoded {@code application/x-www-form-urlencoded} body parameters. */
    public Map<String, String> form() {
        return decodeForm(bodyText());
    }

    /** Query and form parameters together (form wins), as AWS Query-protocol services read them. */
    public Map<String, String> parameters() {
        Map<String, String> all = new LinkedHashMap<>(query());
        if (header("Content-Type").orElse("").toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            all.putAll(form());
        }
        return all;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The value of a cookie sent in any Cookie header, if present. */
    public Optional<String> cookie(String name) {
        for (String line : headers("Cookie")) {
            for (String pair : line.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return Optional.of(pair.substring(eq + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The SigV4 credential scope service ("s3", "sts"…) from the Authorization header or the
     * {@code X-Amz-Credential} query parameter; empty for unsigned or differently signed requests.
     */
    public Optional<String> signingService() {
        return credentialScope().map(scope -> scope.length > 3 ? scope[3] : "");
    }

    /** The access key ID from a SigV4 or SigV2 Authorization header or presigned query. */
    public Optional<String> accessKeyId() {
        Optional<String[]> scope = credentialScope();
        if (scope.isPresent()) {
            return Optional.of(scope.get()[0]);
        }
        String authorization = header("Authorization").orElse("");
        if (authorization.startsWith("AWS ") && authorization.contains(":")) {
            return Optional.of(authorization.substring(4, authorization.indexOf(':')).trim());
        }
        return Optional.ofNullable(query().get("AWSAccessKeyId"));
    }

    private Optional<String[]> credentialScope() {
        String authorization = header("Authorization").orElse("");
        int at = authorization.indexOf("Credential=");
        String credential = null;
        if (at >= 0) {
            int end = authorization.indexOf(',', at);
            credential = authorization.substring(at + "Credential=".length(), end < 0 ? authorization.length() : end).trim();
        } else if (query().containsKey("X-Amz-Credential")) {
            credential = query().get("X-Amz-Credential");
        }
        return Optional.ofNullable(credential).map(c -> c.split("/"));
    }

    static Map<String, String> decodeForm(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** A compact one-line description for assertion messages (no bodies, no credentials). */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>(headerNames());
        return "#" + sequence + " " + method + " " + host() + path() + " " + names;
    }
}
