package io.sekisho.policy.domain;

import io.sekisho.policy.Nullable;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Classifies a resolved upstream address: public, or one of the special ranges a proxy must
 * not connect to on a client's behalf (loopback, private, link-local and the cloud metadata
 * endpoints, CGNAT…). This is the "check by resolved address" step of STYLE.md rule 6,
 * after Smokescreen's {@code classifyAddr}: a public name can resolve to 127.0.0.1 or
 * 169.254.169.254, and a DNS answer can smuggle an IPv4 address inside an IPv6 form.
 *
 * <p>IPv6 forms that embed an IPv4 address are special in themselves and carry the class of
 * the embedded address, so that {@code 64:ff9b::a9fe:a9fe} reads "nat64:cloud-metadata".
 * Pure and thread-safe; no DNS.
 */
public final class AddressClassifier {

    private record Entry(DomainPattern range, AddressRange kind) {
    }

    private static final List<Entry> V4 = table(
            "0.0.0.0/32", AddressRange.UNSPECIFIED,
            "255.255.255.255/32", AddressRange.BROADCAST,
            "169.254.169.254/32", AddressRange.CLOUD_METADATA,
            "169.254.170.2/32", AddressRange.CLOUD_METADATA,
            "169.254.170.23/32", AddressRange.CLOUD_METADATA,
            "192.0.0.0/24", AddressRange.IETF_PROTOCOL,
            "192.0.2.0/24", AddressRange.DOCUMENTATION,
            "198.51.100.0/24", AddressRange.DOCUMENTATION,
            "203.0.113.0/24", AddressRange.DOCUMENTATION,
            "192.168.0.0/16", AddressRange.PRIVATE,
            "169.254.0.0/16", AddressRange.LINK_LOCAL,
            "198.18.0.0/15", AddressRange.BENCHMARKING,
            "172.16.0.0/12", AddressRange.PRIVATE,
            "100.64.0.0/10", AddressRange.CGNAT,
            "0.0.0.0/8", AddressRange.THIS_NETWORK,
            "10.0.0.0/8", AddressRange.PRIVATE,
            "127.0.0.0/8", AddressRange.LOOPBACK,
            "224.0.0.0/4", AddressRange.MULTICAST,
            "240.0.0.0/4", AddressRange.RESERVED);

    private static final List<Entry> V6 = table(
            "::/128", AddressRange.UNSPECIFIED,
            "::1/128", AddressRange.LOOPBACK,
            "fd00:ec2::254/128", AddressRange.CLOUD_METADATA,
            "fd00:ec2::23/128", AddressRange.CLOUD_METADATA,
            "::/96", AddressRange.IPV4_COMPATIBLE,
            "::ffff:0:0:0/96", AddressRange.IPV4_TRANSLATED,
            "64:ff9b::/96", AddressRange.NAT64,
            "100::/64", AddressRange.DISCARD,
            "64:ff9b:1::/48", AddressRange.NAT64_LOCAL,
            "2001:2::/48", AddressRange.BENCHMARKING,
            "2001::/32", AddressRange.TEREDO,
            "2001:db8::/32", AddressRange.DOCUMENTATION,
            "3fff::/20", AddressRange.DOCUMENTATION,
            "2002::/16", AddressRange.SIX_TO_FOUR,
            "fe80::/10", AddressRange.LINK_LOCAL,
            "fec0::/10", AddressRange.SITE_LOCAL,
            "ff00::/8", AddressRange.MULTICAST,
            "fc00::/7", AddressRange.UNIQUE_LOCAL);

    private AddressClassifier() {
    }

    private static List<Entry> table(Object... rows) {
        Entry[] t = new Entry[rows.length / 2];
        for (int i = 0; i < t.length; i++) {
            t[i] = new Entry(DomainPattern.parse((String) rows[2 * i]), (AddressRange) rows[2 * i + 1]);
        }
        // Narrowest first, so that a metadata /32 is found before the link-local /16 around it.
        Arrays.sort(t, Comparator.comparingInt((Entry e) -> -e.range().prefixLength()));
        return List.of(t);
    }

    /** The class of {@code address}. */
    public static AddressClass classify(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 4) {
            AddressRange r = lookup(V4, a);
            return r == AddressRange.PUBLIC ? AddressClass.PUBLIC : new AddressClass(r, null);
        }
        if (DomainPattern.IpBytes.isMapped(a)) {
            return new AddressClass(AddressRange.IPV4_MAPPED, lookup(V4, Arrays.copyOfRange(a, 12, 16)));
        }
        AddressRange r = lookup(V6, a);
        byte[] v4 = embeddedIpv4(r, a);
        if (v4 == null) {
            return r == AddressRange.PUBLIC ? AddressClass.PUBLIC : new AddressClass(r, null);
        }
        return new AddressClass(r, lookup(V4, v4));
    }

    /** The IPv4 address an IPv6 form carries, or null when it carries none. */
    private static @Nullable byte[] embeddedIpv4(AddressRange r, byte[] a) {
        switch (r) {
            case IPV4_COMPATIBLE:
            case IPV4_TRANSLATED:
            case NAT64:
                return Arrays.copyOfRange(a, 12, 16);      // RFC 6052 §2.2, /96 prefix
            case SIX_TO_FOUR:
                return Arrays.copyOfRange(a, 2, 6);        // RFC 3056 §2: 2002:V4ADDR::/48
            case TEREDO:
                byte[] client = Arrays.copyOfRange(a, 12, 16);  // RFC 4380 §4: client address, inverted
                for (int i = 0; i < 4; i++) {
                    client[i] = (byte) ~client[i];
                }
                return client;
            default:
                return null;
        }
    }

    private static AddressRange lookup(List<Entry> table, byte[] a) {
        for (Entry e : table) {
            if (e.range().contains(a)) {
                return e.kind();
            }
        }
        return AddressRange.PUBLIC;
    }
}
