package io.sekisho.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassifierTest {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            public IPv4                     | 8.8.8.8                   | public                      | false
            public IPv4, edge of 10/8       | 11.0.0.0                  | public                      | false
            public IPv4, edge of 172.16/12  | 172.32.0.1                | public                      | false
            public IPv4, edge of CGNAT      | 100.128.0.1               | public                      | false
            public IPv6                     | 2001:4860::8888           | public                      | false
            public IPv6, AWS                | 2600:1f18::1              | public                      | false
            unspecified IPv4                | 0.0.0.0                   | unspecified                 | true
            this network                    | 0.1.2.3                   | this-network                | true
            loopback                        | 127.0.0.1                 | loopback                    | true
            loopback, whole /8              | 127.255.0.9               | loopback                    | true
            private 10/8                    | 10.0.0.1                  | private                     | true
            private 172.16/12               | 172.31.255.255            | private                     | true
            private 192.168/16              | 192.168.1.1               | private                     | true
            CGNAT                           | 100.64.0.1                | cgnat                       | true
            CGNAT top                       | 100.127.255.254           | cgnat                       | true
            link-local                      | 169.254.1.1               | link-local                  | true
            EC2 instance metadata           | 169.254.169.254           | cloud-metadata              | true
            ECS task credentials            | 169.254.170.2             | cloud-metadata              | true
            EKS Pod Identity                | 169.254.170.23            | cloud-metadata              | true
            multicast                       | 224.0.0.251               | multicast                   | true
            broadcast                       | 255.255.255.255           | broadcast                   | true
            reserved class E                | 240.0.0.1                 | reserved                    | true
            IETF protocol assignments       | 192.0.0.8                 | ietf-protocol               | true
            documentation                   | 203.0.113.9               | documentation               | true
            benchmarking                    | 198.19.0.1                | benchmarking                | true
            unspecified IPv6                | ::                        | unspecified                 | true
            loopback IPv6                   | ::1                       | loopback                    | true
            ULA                             | fc00::1                   | unique-local                | true
            ULA fd                          | fd12:3456::1              | unique-local                | true
            IMDS over IPv6                  | fd00:ec2::254             | cloud-metadata              | true
            link-local IPv6                 | fe80::1                   | link-local                  | true
            site-local IPv6                 | fec0::1                   | site-local                  | true
            multicast IPv6                  | ff02::1                   | multicast                   | true
            documentation IPv6              | 2001:db8::1               | documentation               | true
            discard-only                    | 100::1                    | discard                     | true
            IPv4-compatible private         | ::10.0.0.1                | ipv4-compatible:private     | true
            IPv4-compatible public          | ::8.8.8.8                 | ipv4-compatible:public      | true
            IPv4-translated loopback        | ::ffff:0:127.0.0.1        | ipv4-translated:loopback    | true
            NAT64 private                   | 64:ff9b::a00:1            | nat64:private               | true
            NAT64 metadata                  | 64:ff9b::169.254.169.254  | nat64:cloud-metadata        | true
            NAT64 public is still special   | 64:ff9b::808:808          | nat64:public                | true
            NAT64 local-use                 | 64:ff9b:1::a00:1          | nat64-local                 | true
            6to4 private                    | 2002:0a00:0001::          | 6to4:private                | true
            6to4 loopback                   | 2002:7f00:1::1            | 6to4:loopback               | true
            Teredo, client 10.0.0.1         | 2001:0:4136:e378:8000:63bf:f5ff:fffe | teredo:private   | true
            Teredo, RFC 4380 example client | 2001:0:4136:e378:8000:63bf:3fff:fdd2 | teredo:documentation | true
            Teredo, public client 8.8.8.8   | 2001:0:4136:e378:8000:63bf:f7f7:f7f7 | teredo:public    | true
            """)
    void classifies(String name, String address, String expected, boolean special) throws Exception {
        AddressClass c = AddressClassifier.classify(InetAddress.getByName(address));
        assertThat(c.name()).isEqualTo(expected);
        assertThat(c.special()).isEqualTo(special);
    }

    /** The JDK turns ::ffff:a.b.c.d text into an Inet4Address, so the embedded address decides. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "::ffff:10.0.0.1, private",
        "::ffff:169.254.169.254, cloud-metadata",
        "::ffff:127.0.0.1, loopback",
        "::ffff:8.8.8.8, public",
    })
    void mappedTextIsItsIpv4Address(String address, String expected) throws Exception {
        assertThat(AddressClassifier.classify(InetAddress.getByName(address)).name()).isEqualTo(expected);
    }

    /** An Inet6Address can still hold a mapped address (built from bytes); the form itself is then special. */
    @Test
    void aMappedInet6AddressIsSpecialEvenWhenItsIpv4AddressIsPublic() throws Exception {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        b[12] = 8;
        b[13] = 8;
        b[14] = 8;
        b[15] = 8;
        InetAddress a = Inet6Address.getByAddress(null, b, -1);
        assertThat(a).isInstanceOf(Inet6Address.class);
        AddressClass c = AddressClassifier.classify(a);
        assertThat(c.name()).isEqualTo("ipv4-mapped:public");
        assertThat(c.special()).isTrue();
        b[12] = 10;
        assertThat(AddressClassifier.classify(Inet6Address.getByAddress(null, b, -1)).name())
                .isEqualTo("ipv4-mapped:private");
    }
}
