package io.sekisho.policy;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A destination host normalised once (STYLE.md rule 5): ASCII lower case, no trailing dot,
 * IDNs as punycode, IPv6 literals without brackets in RFC 5952 form. Config validation,
 * matching and the audit log all use this value, so "Example.COM." and "example.com" are the
 * same destination everywhere.
 *
 * <p>Names a resolver could read as a number are refused rather than guessed at: inet_aton
 * accepts {@code 127.1}, {@code 0x7f.1} and {@code 0177.0.0.1} as 127.0.0.1, so a proxy that
 * took them for names would check one destination and connect to another. Only dotted-quad
 * IPv4 without leading zeros is an IPv4 literal. An IPv4-mapped IPv6 literal
 * ({@code ::ffff:10.0.0.1}) is the IPv4 address it maps (the JDK connects to it over IPv4),
 * so it normalises to {@code 10.0.0.1} and meets the same rules.
 */
public final class HostName {
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    /** Names that a resolver could read as a number (inet_aton forms such as 127.1 or 0x7f.1). */
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*");
    /**
     * A last label that is a number: the WHATWG URL host parser hands such a host to its IPv4
     * parser ("ends in a number"), so browsers never treat it as a name. No TLD is numeric.
     */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("0x[0-9a-f]*|[0-9]+");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private final String value;
    private final @Nullable InetAddress literal;

    private HostName(String value, @Nullable InetAddress literal) {
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
        boolean bracketed = s.startsWith("[") && s.endsWith("]");
        if (bracketed) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') >= 0) {
            return ipv6(s, raw);
        }
        if (bracketed) {
            throw new IllegalArgumentException("only an IPv6 address may be written in brackets: " + raw);
        }
        HostName plain = plainAsciiName(s);
        if (plain != null) {
            return plain;
        }
        return parseLiteralOrName(s, raw);
    }

    /** {@link #parse} without {@link #plainAsciiName}: the reference the fast path is tested against. */
    static HostName parseWithoutFastPath(String raw) {
        String s = raw.trim();
        if ((s.startsWith("[") && s.endsWith("]")) || s.indexOf(':') >= 0) {
            return parse(raw); // the fast path never takes brackets or colons
        }
        return parseLiteralOrName(s, raw);
    }

    private static HostName parseLiteralOrName(String s, String raw) {
        if (IPV4.matcher(stripDot(s)).matches()) {
            String v4 = stripDot(s);
            return new HostName(v4, literal(v4, raw));
        }
        return name(s, raw);
    }

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    /**
     * The common case without IDN.toASCII and the regular expressions (they were most of the
     * cost of a parse): ASCII letters, digits, '_' and '-' in labels of 1 to 63 characters that
     * neither start nor end with '-', an optional trailing dot, and a last label that starts with
     * a letter or '_' (so it can be neither an IPv4 literal nor a number-looking name). Anything
     * else returns null and takes the full path, which gives the same answer for these names:
     * toASCII leaves ASCII labels as they are.
     */
    static @Nullable HostName plainAsciiName(String s) {
        int end = s.endsWith(".") ? s.length() - 1 : s.length();
        if (end == 0 || end > MAX_NAME) {
            return null;
        }
        boolean upper = false;
        int labelStart = 0;
        for (int i = 0; i <= end; i++) {
            char c = i == end ? '.' : s.charAt(i);
            if (c == '.') {
                int len = i - labelStart;
                if (len == 0 || len > MAX_LABEL || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return null;
                }
                labelStart = i + 1;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return null;
            }
        }
        char lastFirst = s.charAt(s.lastIndexOf('.', end - 1) + 1);
        if (!((lastFirst >= 'a' && lastFirst <= 'z') || (lastFirst >= 'A' && lastFirst <= 'Z') || lastFirst == '_')) {
            return null;
        }
        String name = end == s.length() ? s : s.substring(0, end);
        return new HostName(upper ? name.toLowerCase(Locale.ROOT) : name, null);
    }

    private static HostName name(String s, String raw) {
        String ascii;
        try {
            // toASCII also maps the ideographic and full-width dots to '.', so the trailing
            // dot is stripped after it.
            ascii = stripDot(IDN.toASCII(s).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid host name: " + raw);
        }
        if (ascii.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        if (ascii.length() > 253) {
            throw new IllegalArgumentException("host name longer than 253 characters");
        }
        if (NUMERIC_LOOKING.matcher(ascii).matches()) {
            throw new IllegalArgumentException("not a canonical IPv4 address: " + raw);
        }
        if (NUMERIC_LABEL.matcher(ascii.substring(ascii.lastIndexOf('.') + 1)).matches()) {
            throw new IllegalArgumentException("not a valid host name (its last label is a number): " + raw);
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("not a valid host name: " + raw);
            }
        }
        return new HostName(ascii, null);
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static HostName ipv6(String s, String raw) {
        // The first character must be a hex digit or ':' so that InetAddress parses the text
        // as a literal and never falls back to a DNS lookup.
        if (!IPV6_CHARS.matcher(s).matches() || s.charAt(0) == '.') {
            throw new IllegalArgumentException("not a valid IPv6 address: " + raw);
        }
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.') >= 0 && !IPV4.matcher(s.substring(lastColon + 1)).matches()) {
            // The JDK reads "::ffff:0177.0.0.1" as 177.0.0.1; inet_pton refuses it. Refuse it too.
            throw new IllegalArgumentException("not a valid IPv6 address: " + raw);
        }
        InetAddress a = literal(s, raw);
        if (a instanceof Inet4Address) {
            return new HostName(a.getHostAddress(), a);
        }
        return new HostName(formatIpv6(a.getAddress()), a);
    }

    private static InetAddress literal(String s, String raw) {
        try {
            // Only called on text that is already an IP literal, so no DNS lookup happens.
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid IP address: " + raw);
        }
    }

    /**
     * The RFC 5952 text of an address: IPv4 dotted quad; IPv6 in lower case, without leading
     * zeros, the longest run of two or more zero groups (the first on a tie) written "::".
     */
    public static String format(InetAddress address) {
        if (address instanceof Inet6Address) {
            return formatIpv6(address.getAddress());
        }
        return address.getHostAddress();
    }

    private static String formatIpv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** The normalised name or literal (IPv6 without brackets). */
    public String value() {
        return value;
    }

    public boolean isIpLiteral() {
        return literal != null;
    }

    /** The address of an IP literal, or null for a name. */
    public @Nullable InetAddress literalAddress() {
        return literal;
    }

    /** True when this is {@code suffix} or a subdomain of it (label boundary respected). */
    public boolean isWithin(String suffix) {
        return isWithin(value, suffix);
    }

    /** True when {@code name} is {@code suffix} or a subdomain of it (label boundary respected). */
    public static boolean isWithin(String name, String suffix) {
        return name.equals(suffix)
                || (name.length() > suffix.length() && name.endsWith(suffix)
                        && name.charAt(name.length() - suffix.length() - 1) == '.');
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
