package io.sekisho.policy;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A destination host normalised once (STYLE.md rule 5): ASCII lower case, no trailing dot,
 * IDNs as punycode, IPv6 literals without brackets in canonical form. Config validation,
 * matching and the audit log all use this value, so "Example.COM." and "example.com" are the
 * same destination everywhere.
 */
public final class HostName {
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    /** Names that a resolver could read as a number (inet_aton forms such as 127.1 or 0x7f.1). */
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("(0x[0-9a-f]+|[0-9]+)(\\.(0x[0-9a-f]+|[0-9]+))*");

    private final String value;
    private final InetAddress literal;

    private HostName(String value, InetAddress literal) {
        this.value = value;
        this.literal = literal;
    }

    /**
     * Parses a host as written in a CONNECT line, a URI, a Host header or the config.
     *
     * @throws IllegalArgumentException with a message fit for the user when it is not a
     *     valid host name or IP literal
     */
    public static HostName parse(String raw) {
        Objects.requireNonNull(raw, "host");
        String s = raw.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') >= 0) {
            return ipv6(s, raw);
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        if (IPV4.matcher(s).matches()) {
            return new HostName(s, literal(s));
        }
        String ascii;
        try {
            ascii = IDN.toASCII(s).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid host name: " + raw);
        }
        if (ascii.length() > 253) {
            throw new IllegalArgumentException("host name longer than 253 characters");
        }
        if (NUMERIC_LOOKING.matcher(ascii).matches()) {
            throw new IllegalArgumentException("not a canonical IPv4 address: " + raw);
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("not a valid host name: " + raw);
            }
        }
        return new HostName(ascii, null);
    }

    private static HostName ipv6(String s, String raw) {
        if (!s.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not a valid IPv6 address: " + raw);
        }
        InetAddress a = literal(s);
        String canonical = a.getHostAddress().toLowerCase(Locale.ROOT);
        return new HostName(canonical, a);
    }

    private static InetAddress literal(String s) {
        try {
            // Only called on text that is already an IP literal, so no DNS lookup happens.
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid IP address: " + s);
        }
    }

    /** The normalised name or literal (IPv6 without brackets). */
    public String value() {
        return value;
    }

    public boolean isIpLiteral() {
        return literal != null;
    }

    /** The address of an IP literal, or null for a name. */
    public InetAddress literalAddress() {
        return literal;
    }

    /** True when this is {@code suffix} or a subdomain of it (label boundary respected). */
    public boolean isWithin(String suffix) {
        return value.equals(suffix)
                || (value.length() > suffix.length() && value.endsWith(suffix)
                        && value.charAt(value.length() - suffix.length() - 1) == '.');
    }

    /** The form for a URI authority or CONNECT line: IPv6 in brackets. */
    public String authorityForm() {
        return value.indexOf(':') >= 0 ? "[" + value + "]" : value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostName h && h.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
