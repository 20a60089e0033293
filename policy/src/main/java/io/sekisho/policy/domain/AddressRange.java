package io.sekisho.policy.domain;

/**
 * The special-purpose address ranges an upstream connection must not reach unless a CIDR
 * entry allows it (STYLE.md rule 6; IANA IPv4/IPv6 Special-Purpose Address Registries,
 * RFC 6890). The label is stable: it appears as the rule of a PRIVATE_ADDRESS decision.
 */
public enum AddressRange {
    PUBLIC("public"),
    /** 0.0.0.0 and ::; Linux connects them to the local host. */
    UNSPECIFIED("unspecified"),
    /** 0.0.0.0/8, RFC 1122 §3.2.1.3. */
    THIS_NETWORK("this-network"),
    /** 127.0.0.0/8, ::1. */
    LOOPBACK("loopback"),
    /** RFC 1918: 10/8, 172.16/12, 192.168/16. */
    PRIVATE("private"),
    /** 100.64.0.0/10, RFC 6598 shared address space (carrier-grade NAT). */
    CGNAT("cgnat"),
    /** 169.254.0.0/16 (RFC 3927), fe80::/10 (RFC 4291 §2.5.6). */
    LINK_LOCAL("link-local"),
    /**
     * Instance and container metadata and credential endpoints: 169.254.169.254 and
     * fd00:ec2::254 (EC2 IMDS), 169.254.170.2 (ECS task credentials), 169.254.170.23 and
     * fd00:ec2::23 (EKS Pod Identity). Reaching them hands out the proxy host's own
     * credentials.
     */
    CLOUD_METADATA("cloud-metadata"),
    /** 224.0.0.0/4, ff00::/8. */
    MULTICAST("multicast"),
    /** 255.255.255.255. */
    BROADCAST("broadcast"),
    /** 240.0.0.0/4, RFC 1112 §4. */
    RESERVED("reserved"),
    /** 192.0.0.0/24, RFC 6890 §2.2.2 IETF protocol assignments. */
    IETF_PROTOCOL("ietf-protocol"),
    /** 192.0.2/24, 198.51.100/24, 203.0.113/24 (RFC 5737), 2001:db8::/32 (RFC 3849), 3fff::/20 (RFC 9637). */
    DOCUMENTATION("documentation"),
    /** 198.18.0.0/15 (RFC 2544), 2001:2::/48 (RFC 5180). */
    BENCHMARKING("benchmarking"),
    /** fc00::/7, RFC 4193. */
    UNIQUE_LOCAL("unique-local"),
    /** fec0::/10, deprecated by RFC 3879 but still routed inside some networks. */
    SITE_LOCAL("site-local"),
    /** 100::/64, RFC 6666 discard-only. */
    DISCARD("discard"),
    /** ::ffff:0:0/96, RFC 4291 §2.5.5.2. */
    IPV4_MAPPED("ipv4-mapped"),
    /** ::/96 (but :: and ::1), RFC 4291 §2.5.5.1, deprecated. */
    IPV4_COMPATIBLE("ipv4-compatible"),
    /** ::ffff:0:0:0/96, RFC 2765 §2.1 (SIIT). */
    IPV4_TRANSLATED("ipv4-translated"),
    /** 64:ff9b::/96, RFC 6052 well-known NAT64 prefix. */
    NAT64("nat64"),
    /** 64:ff9b:1::/48, RFC 8215 local-use NAT64 prefix (embedding depends on the local prefix length). */
    NAT64_LOCAL("nat64-local"),
    /** 2002::/16, RFC 3056. */
    SIX_TO_FOUR("6to4"),
    /** 2001::/32, RFC 4380. */
    TEREDO("teredo");

    private final String label;

    AddressRange(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
