package io.sekisho.proxy.forward;

import io.sekisho.policy.HostName;
import io.sekisho.proxy.http1.HostPortText;
import java.util.Locale;
import java.util.Objects;

/**
 * The destination and path of one request, parsed once. Absolute-form targets
 * ({@code http://host:port/path?query}, RFC 9112 §3.2.2) are parsed strictly: anything odd is a
 * 400, never a guess (fail closed).
 *
 * @param scheme "http" or "https"
 * @param host the normalised host
 * @param port the explicit port, else the scheme's default
 * @param path the raw path, "/" at least
 * @param query the raw query without '?', "" when none
 */
public record RequestTarget(String scheme, HostName host, int port, String path, String query) {

    public RequestTarget {
        Objects.requireNonNull(scheme);
        Objects.requireNonNull(host);
        Objects.requireNonNull(path);
        Objects.requireNonNull(query);
    }

    /** True when the URI starts with a scheme, i.e. is absolute-form. */
    public static boolean isAbsoluteForm(String uri) {
        int colon = uri.indexOf("://");
        return colon > 0 && uri.substring(0, colon).chars().allMatch(c -> Character.isLetterOrDigit(c)
                || c == '+' || c == '-' || c == '.');
    }

    /**
     * Parses an absolute-form URI.
     *
     * @throws IllegalArgumentException when it is not a well-formed http or https URI
     */
    public static RequestTarget parseAbsolute(String uri) {
        int sep = uri.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("not absolute-form");
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        int defaultPort;
        if (scheme.equals("http")) {
            defaultPort = 80;
        } else if (scheme.equals("https")) {
            defaultPort = 443;
        } else {
            throw new IllegalArgumentException("unsupported scheme");
        }
        int authStart = sep + 3;
        int authEnd = authStart;
        while (authEnd < uri.length() && "/?#".indexOf(uri.charAt(authEnd)) < 0) {
            authEnd++;
        }
        String authority = uri.substring(authStart, authEnd);
        if (authority.indexOf('@') >= 0) {
            // RFC 9110 §4.2.4: userinfo is deprecated in http(s) URIs; it can only carry a password.
            throw new IllegalArgumentException("userinfo in URI");
        }
        HostPortText hp = HostPortText.parse(authority, defaultPort);
        String rest = uri.substring(authEnd);
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        return withPathAndQuery(scheme, hp.host(), hp.port(), rest);
    }

    /** An origin-form target ("/path?query") inside a tunnel whose destination is known. */
    public static RequestTarget originForm(String scheme, HostName host, int port, String uri) {
        if (!uri.startsWith("/")) {
            throw new IllegalArgumentException("not origin-form");
        }
        return withPathAndQuery(scheme, host, port, uri);
    }

    private static RequestTarget withPathAndQuery(String scheme, HostName host, int port, String rest) {
        int q = rest.indexOf('?');
        String path = q >= 0 ? rest.substring(0, q) : rest;
        String query = q >= 0 ? rest.substring(q + 1) : "";
        if (path.isEmpty()) {
            path = "/";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("control character in path");
            }
        }
        return new RequestTarget(scheme, host, port, path, query);
    }

    /** The origin-form request target sent upstream: path and query. */
    public String originForm() {
        return query.isEmpty() ? path : path + "?" + query;
    }

    /** The authority for a Host header: the port only when it is not the scheme's default. */
    public String authority() {
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return defaultPort ? host.authorityForm() : host.authorityForm() + ":" + port;
    }

    /** The absolute-form target, as sent to a parent proxy. */
    public String absoluteForm() {
        return scheme + "://" + authority() + originForm();
    }
}
