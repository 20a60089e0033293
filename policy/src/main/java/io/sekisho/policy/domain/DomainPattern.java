package io.sekisho.policy.domain;

import io.sekisho.policy.HostName;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One entry of a domain rule list, in DESIGN.md's grammar:
 * <ul>
 *   <li>{@code example.com}: exactly that name;</li>
 *   <li>{@code *.example.com}: subdomains at any depth, never the apex;</li>
 *   <li>{@code .example.com}: the apex and its subdomains (Squid's meaning);</li>
 *   <li>{@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}: IP literals in a range.</li>
 * </ul>
 * Specificity orders overlapping matches: an exact name beats any suffix rule, a longer
 * suffix beats a shorter one, and a narrower CIDR beats a wider one.
 */
public final class DomainPattern {
    public enum Kind { EXACT, SUBDOMAINS, APEX_AND_SUBDOMAINS, CIDR }

    private final String text;
    private final Kind kind;
    private final String name;          // normalised name or suffix, for the name kinds
    private final byte[] network;       // for CIDR
    private final int prefixLength;     // for CIDR

    private DomainPattern(String text, Kind kind, String name, byte[] network, int prefixLength) {
        this.text = text;
        this.kind = kind;
        this.name = name;
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses one entry.
     *
     * @throws IllegalArgumentException with a user-facing message when the entry is invalid
     */
    public static DomainPattern parse(String text) {
        Objects.requireNonNull(text);
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty domain entry");
        }
        if (t.indexOf('/') >= 0) {
            return cidr(text, t);
        }
        if (t.startsWith("*.")) {
            return new DomainPattern(text, Kind.SUBDOMAINS, normaliseName(t.substring(2), text), null, 0);
        }
        if (t.startsWith(".")) {
            return new DomainPattern(text, Kind.APEX_AND_SUBDOMAINS, normaliseName(t.substring(1), text), null, 0);
        }
        if (t.indexOf('*') >= 0) {
            throw new IllegalArgumentException(
                    "'*' is only allowed as the whole first label, as in *.example.com: " + text);
        }
        HostName h;
        try {
            h = HostName.parse(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (h.isIpLiteral()) {
            byte[] a = h.literalAddress().getAddress();
            return new DomainPattern(text, Kind.CIDR, null, a, a.length * 8);
        }
        return new DomainPattern(text, Kind.EXACT, h.value(), null, 0);
    }

    private static String normaliseName(String s, String original) {
        if (s.indexOf('*') >= 0) {
            throw new IllegalArgumentException(
                    "'*' is only allowed as the whole first label, as in *.example.com: " + original);
        }
        HostName h = HostName.parse(s);
        if (h.isIpLiteral()) {
            throw new IllegalArgumentException("a wildcard cannot apply to an IP address: " + original);
        }
        return h.value();
    }

    private static DomainPattern cidr(String text, String t) {
        int slash = t.indexOf('/');
        String addr = t.substring(0, slash);
        int bits;
        try {
            bits = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad CIDR prefix length: " + text);
        }
        HostName h;
        try {
            h = HostName.parse(addr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad CIDR address: " + text);
        }
        if (!h.isIpLiteral()) {
            throw new IllegalArgumentException("bad CIDR address: " + text);
        }
        byte[] a = h.literalAddress().getAddress();
        if (bits < 0 || bits > a.length * 8) {
            throw new IllegalArgumentException("CIDR prefix length out of range: " + text);
        }
        byte[] masked = mask(a, bits);
        if (!java.util.Arrays.equals(masked, a)) {
            throw new IllegalArgumentException("CIDR has host bits set (did you mean "
                    + toText(masked) + "/" + bits + "?): " + text);
        }
        return new DomainPattern(text, Kind.CIDR, null, masked, bits);
    }

    private static byte[] mask(byte[] a, int bits) {
        byte[] m = a.clone();
        for (int i = 0; i < m.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            m[i] &= (byte) (0xff << (8 - keep));
        }
        return m;
    }

    private static String toText(byte[] a) {
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code host} falls under this entry. */
    public boolean matches(HostName host) {
        switch (kind) {
            case EXACT:
                return !host.isIpLiteral() && host.value().equals(name);
            case SUBDOMAINS:
                return !host.isIpLiteral() && host.isWithin(name) && !host.value().equals(name);
            case APEX_AND_SUBDOMAINS:
                return !host.isIpLiteral() && host.isWithin(name);
            case CIDR:
                return host.isIpLiteral() && contains(host.literalAddress());
            default:
                throw new IllegalStateException();
        }
    }

    /** True when this is a CIDR entry containing {@code address}. */
    public boolean contains(InetAddress address) {
        if (kind != Kind.CIDR) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        return java.util.Arrays.equals(mask(a, prefixLength), network);
    }

    /**
     * Larger is more specific. Names: exact beats suffix rules; among suffix rules more labels
     * win, and at equal length {@code *.x} (subdomains only) beats {@code .x}. CIDR: longer prefix.
     */
    public int specificity() {
        switch (kind) {
            case EXACT:
                return 1_000_000;
            case SUBDOMAINS:
                return labels(name) * 2 + 1;
            case APEX_AND_SUBDOMAINS:
                return labels(name) * 2;
            case CIDR:
                return prefixLength;
            default:
                throw new IllegalStateException();
        }
    }

    private static int labels(String n) {
        int c = 1;
        for (int i = 0; i < n.length(); i++) {
            if (n.charAt(i) == '.') {
                c++;
            }
        }
        return c;
    }

    public Kind kind() {
        return kind;
    }

    /** The entry as the user wrote it; used as the decision's rule id. */
    public String text() {
        return text;
    }

    /** The normalised name or suffix of a name entry; null for CIDR. */
    public String name() {
        return name;
    }

    /** The canonical form ("*.example.com", ".example.com", "10.0.0.0/8"). */
    public String canonical() {
        switch (kind) {
            case EXACT:
                return name;
            case SUBDOMAINS:
                return "*." + name;
            case APEX_AND_SUBDOMAINS:
                return "." + name;
            case CIDR:
                return toText(network) + "/" + prefixLength;
            default:
                throw new IllegalStateException();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainPattern p && p.canonical().equals(canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    @Override
    public String toString() {
        return canonical();
    }

}
