package io.sekisho.policy.domain;

import io.sekisho.policy.HostName;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of a domain rule list, in DESIGN.md's grammar:
 * <ul>
 *   <li>{@code example.com}: exactly that name;</li>
 *   <li>{@code *.example.com}: subdomains at any depth, never the apex;</li>
 *   <li>{@code .example.com}: the apex and its subdomains (Squid's meaning);</li>
 *   <li>{@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}: IP literals in a range.
 *       An IPv4-mapped range ({@code ::ffff:10.0.0.0/104}) is the IPv4 range it maps.</li>
 * </ul>
 * Specificity orders overlapping matches: an exact name beats any suffix rule, a longer
 * suffix beats a shorter one, and a narrower CIDR beats a wider one.
 */
public final class DomainPattern {
    public enum Kind { EXACT, SUBDOMAINS, APEX_AND_SUBDOMAINS, CIDR }

    private static final Pattern PREFIX_LENGTH = Pattern.compile("\\d{1,3}");
    private static final Pattern HOST_AND_PORT = Pattern.compile("[^:\\[\\]]+:\\d*");
    /** The prefix of {@code ::ffff:0:0/96}, the IPv4-mapped IPv6 range (RFC 4291 §2.5.5.2). */
    private static final byte[] NO_NETWORK = new byte[0];
    private static final int MAPPED_PREFIX = 96;

    private final String text;
    private final Kind kind;
    private final String name;          // normalised name or suffix, for the name kinds; "" for CIDR
    private final byte[] network;       // for CIDR; empty for the name kinds
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
        if (t.contains("://")) {
            throw new IllegalArgumentException("a domain entry is a host name, not a URL: " + text);
        }
        if (HOST_AND_PORT.matcher(t).matches()) {
            throw new IllegalArgumentException(
                    "a domain entry has no port (ports are set under ports:): " + text);
        }
        if (t.indexOf('/') >= 0) {
            return cidr(text, t);
        }
        if (t.startsWith("*.")) {
            return new DomainPattern(text, Kind.SUBDOMAINS, normaliseName(t.substring(2), text), NO_NETWORK, 0);
        }
        if (t.startsWith(".")) {
            String suffix = normaliseName(t.substring(1), text);
            return new DomainPattern(text, Kind.APEX_AND_SUBDOMAINS, suffix, NO_NETWORK, 0);
        }
        if (t.indexOf('*') >= 0) {
            throw new IllegalArgumentException(
                    "'*' is only allowed as the whole first label, as in *.example.com: " + text);
        }
        HostName h = HostName.parse(t);
        InetAddress literal = h.literalAddress();
        if (literal != null) {
            byte[] a = literal.getAddress();
            return new DomainPattern(text, Kind.CIDR, "", a, a.length * 8);
        }
        return new DomainPattern(text, Kind.EXACT, h.value(), NO_NETWORK, 0);
    }

    private static String normaliseName(String s, String original) {
        if (s.indexOf('*') >= 0) {
            throw new IllegalArgumentException(
                    "'*' is only allowed as the whole first label, as in *.example.com: " + original);
        }
        if (s.isEmpty() || s.startsWith(".")) {
            throw new IllegalArgumentException("not a valid domain entry: " + original);
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
        String bitsText = t.substring(slash + 1);
        if (!PREFIX_LENGTH.matcher(bitsText).matches()) {
            throw new IllegalArgumentException("bad CIDR prefix length: " + text);
        }
        int bits = Integer.parseInt(bitsText);
        HostName h;
        try {
            h = HostName.parse(addr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad CIDR address: " + text);
        }
        InetAddress literal = h.literalAddress();
        if (literal == null) {
            throw new IllegalArgumentException("bad CIDR address: " + text);
        }
        byte[] a = literal.getAddress();
        if (a.length == 4 && addr.indexOf(':') >= 0) {
            // HostName turned an IPv4-mapped address into its IPv4 address; do the same to the range.
            if (bits < MAPPED_PREFIX) {
                throw new IllegalArgumentException(
                        "an IPv4-mapped CIDR needs a prefix length of at least 96: " + text);
            }
            bits -= MAPPED_PREFIX;
        }
        if (bits > a.length * 8) {
            throw new IllegalArgumentException("CIDR prefix length out of range: " + text);
        }
        byte[] masked = mask(a, bits);
        if (!Arrays.equals(masked, a)) {
            throw new IllegalArgumentException("CIDR has host bits set (did you mean "
                    + toText(masked) + "/" + bits + "?): " + text);
        }
        return new DomainPattern(text, Kind.CIDR, "", masked, bits);
    }

    private static byte[] mask(byte[] a, int bits) {
        byte[] m = a.clone();
        for (int i = 0; i < m.length; i++) {
            m[i] &= maskByte(bits, i);
        }
        return m;
    }

    /** The network-mask byte at position {@code i} for a prefix of {@code bits}. */
    private static byte maskByte(int bits, int i) {
        int keep = Math.max(0, Math.min(8, bits - i * 8));
        return (byte) (0xff << (8 - keep));
    }

    private static String toText(byte[] a) {
        try {
            return HostName.format(InetAddress.getByAddress(a));
        } catch (UnknownHostException e) {
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
                InetAddress literal = host.literalAddress();
                return literal != null && contains(literal);
            default:
                throw new IllegalStateException();
        }
    }

    /**
     * The bytes {@link #contains(byte[])} compares: an IPv4-mapped IPv6 address reduced to its
     * IPv4 bytes. For a caller that tests one address against many entries.
     */
    public static byte[] addressBytes(InetAddress address) {
        return IpBytes.of(address);
    }

    /** True when this is a CIDR entry containing {@code address}. */
    public boolean contains(InetAddress address) {
        return contains(IpBytes.of(address));
    }

    /**
     * True when this is a CIDR entry containing the address with these bytes (4 for IPv4, 16
     * for IPv6; an IPv4-mapped IPv6 address must already be reduced to its 4 bytes).
     * Allocates nothing.
     */
    public boolean contains(byte[] address) {
        if (kind != Kind.CIDR || address.length != network.length) {
            return false;
        }
        for (int i = 0; i < address.length && i * 8 < prefixLength; i++) {
            if ((address[i] & maskByte(prefixLength, i)) != network[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when this entry is no broader than the domain {@code suffix}: an exact name or an
     * address range (both name their destination outright), or a suffix entry whose name is
     * {@code suffix} or lies under it. Only such an entry opens a customer-hosted endpoint
     * whose catalog suffix is {@code suffix}, so that {@code .amazonaws.com} does not open
     * every load balancer under {@code elb.amazonaws.com} (DESIGN.md exfiltration paths).
     */
    public boolean isNoBroaderThan(String suffix) {
        switch (kind) {
            case EXACT:
            case CIDR:
                return true;
            default:
                return !suffix.isEmpty() && HostName.isWithin(name, suffix);
        }
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

    /** The normalised name or suffix of a name entry; empty for CIDR. */
    public String name() {
        return name;
    }

    /** The network address of a CIDR entry (a copy: 4 or 16 bytes); empty for a name entry. */
    public byte[] network() {
        return network.clone();
    }

    /** The prefix length of a CIDR entry; 0 for a name entry. */
    public int prefixLength() {
        return prefixLength;
    }

    /** The canonical form ("*.example.com", ".example.com", "10.0.0.0/8", "2001:db8::/32"). */
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

    /** Address bytes as the matchers compare them: IPv4-mapped IPv6 reduced to IPv4. */
    static final class IpBytes {
        private IpBytes() {
        }

        static byte[] of(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length == 16 && isMapped(a)) {
                return Arrays.copyOfRange(a, 12, 16);
            }
            return a;
        }

        static boolean isMapped(byte[] a) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        }
    }
}
