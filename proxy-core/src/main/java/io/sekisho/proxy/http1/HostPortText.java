package io.sekisho.proxy.http1;

import io.sekisho.policy.HostName;

/**
 * A "host[:port]" authority as written in a CONNECT line, a URI or a Host header, with IPv6 in
 * brackets. Parsing is strict: a CONNECT target must carry a port (RFC 9110 §9.3.6).
 */
public record HostPortText(HostName host, int port) {

    /**
     * @param defaultPort used when no port is written; -1 makes the port mandatory
     * @throws IllegalArgumentException when malformed
     */
    public static HostPortText parse(String authority, int defaultPort) {
        String hostPart;
        String portPart = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal");
            }
            hostPart = authority.substring(0, close + 1);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("junk after IPv6 literal");
                }
                portPart = after.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0 && authority.indexOf(':') != colon) {
                throw new IllegalArgumentException("IPv6 literal without brackets");
            }
            hostPart = colon >= 0 ? authority.substring(0, colon) : authority;
            portPart = colon >= 0 ? authority.substring(colon + 1) : null;
        }
        int port;
        if (portPart == null || portPart.isEmpty()) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException("port required");
            }
            port = defaultPort;
        } else {
            port = parsePort(portPart);
        }
        return new HostPortText(HostName.parse(hostPart), port);
    }

    private static int parsePort(String s) {
        if (s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad port");
        }
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        return p;
    }
}
