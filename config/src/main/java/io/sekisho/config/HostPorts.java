package io.sekisho.config;

import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.policy.HostName;

/** {@code host:port} values: {@code 127.0.0.1:3128}, {@code proxy.corp:8080}, {@code [::1]:3128}. */
final class HostPorts {
    private HostPorts() {
    }

    /**
     * @param ipOnly the host must be an IP literal (resolve targets: a name would need the DNS
     *     lookup the override exists to replace)
     * @param minPort 0 where "any free port" makes sense (listen), else 1
     * @throws IllegalArgumentException with a message for the user
     */
    static HostPort parse(String text, boolean ipOnly, int minPort) {
        String example = ipOnly ? "10.0.0.5:443 or [2001:db8::5]:443" : "127.0.0.1:3128 or [::1]:3128";
        if (text.contains("://")) {
            throw new IllegalArgumentException("`" + text + "`: write host:port without a scheme, e.g. " + example);
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("`" + text + "` has no port; write host:port, e.g. " + example);
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("`" + text
                    + "`: write an IPv6 address in brackets, e.g. [::1]:3128");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("`" + text + "` has no host; write host:port, e.g. " + example);
        }
        HostName name;
        try {
            name = HostName.parse(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`" + text + "`: " + e.getMessage());
        }
        if (ipOnly && !name.isIpLiteral()) {
            throw new IllegalArgumentException("`" + text
                    + "`: the target must be an IP address and port, e.g. " + example
                    + " (a name would need the DNS lookup this override replaces)");
        }
        return new HostPort(name.value(), port(text, port, minPort));
    }

    private static int port(String text, String port, int minPort) {
        if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("`" + text + "`: the port must be a number " + minPort + "-65535");
        }
        int p = Integer.parseInt(port);
        if (p < minPort || p > 65535) {
            throw new IllegalArgumentException("`" + text + "`: port " + p + " is out of range " + minPort + "-65535");
        }
        return p;
    }
}
