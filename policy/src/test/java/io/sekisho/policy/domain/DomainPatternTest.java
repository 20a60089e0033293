package io.sekisho.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.policy.HostName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainPatternTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            exact                   | example.com            | EXACT               | example.com              | 1000000
            exact, case and dot     | Example.COM.           | EXACT               | example.com              | 1000000
            exact IDN               | bücher.example         | EXACT               | xn--bcher-kva.example    | 1000000
            subdomains              | *.example.com          | SUBDOMAINS          | *.example.com            | 5
            subdomains, dot         | *.Example.com.         | SUBDOMAINS          | *.example.com            | 5
            apex and subdomains     | .example.com           | APEX_AND_SUBDOMAINS | .example.com             | 4
            apex, longer suffix     | .a.example.com         | APEX_AND_SUBDOMAINS | .a.example.com           | 6
            TLD wildcard            | *.com                  | SUBDOMAINS          | *.com                    | 3
            IPv4 address            | 192.0.2.7              | CIDR                | 192.0.2.7/32             | 32
            IPv4 CIDR               | 10.0.0.0/8             | CIDR                | 10.0.0.0/8               | 8
            IPv4 everything         | 0.0.0.0/0              | CIDR                | 0.0.0.0/0                | 0
            IPv6 address            | [2001:db8::1]          | CIDR                | 2001:db8::1/128          | 128
            IPv6 CIDR               | 2001:DB8::/32          | CIDR                | 2001:db8::/32            | 32
            IPv6 CIDR in brackets   | [fd00::]/8             | CIDR                | fd00::/8                 | 8
            IPv4-mapped address     | ::ffff:10.0.0.1        | CIDR                | 10.0.0.1/32              | 32
            IPv4-mapped CIDR        | ::ffff:10.0.0.0/104    | CIDR                | 10.0.0.0/8               | 8
            """)
    void parses(String name, String text, DomainPattern.Kind kind, String canonical, int specificity) {
        DomainPattern p = DomainPattern.parse(text);
        assertThat(p.kind()).isEqualTo(kind);
        assertThat(p.canonical()).isEqualTo(canonical);
        assertThat(p.specificity()).isEqualTo(specificity);
        assertThat(p.text()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            empty                  | "  "                  | empty domain entry
            lone star              | *                     | '*' is only allowed as the whole first label
            star inside a label    | *example.com          | '*' is only allowed as the whole first label
            star in the middle     | a.*.example.com       | '*' is only allowed as the whole first label
            two stars              | *.*.example.com       | '*' is only allowed as the whole first label
            star dot nothing       | *.                    | not a valid domain entry
            dot only               | .                     | not a valid domain entry
            two leading dots       | ..example.com         | not a valid domain entry
            wildcard on IPv4       | *.10.0.0.1            | a wildcard cannot apply to an IP address
            dot on IPv4            | .10.0.0.1             | a wildcard cannot apply to an IP address
            wildcard numeric name  | *.127.1               | not a canonical IPv4 address
            numeric name           | 127.1                 | not a canonical IPv4 address
            hex name               | 0x7f.1                | not a canonical IPv4 address
            URL                    | https://example.com/  | a domain entry is a host name, not a URL
            port                   | example.com:443       | a domain entry has no port
            IPv4 host bits         | 10.0.0.1/8            | CIDR has host bits set (did you mean 10.0.0.0/8?): 10.0.0.1/8
            IPv6 host bits         | 2001:db8::1/32        | CIDR has host bits set (did you mean 2001:db8::/32?): 2001:db8::1/32
            prefix too long        | 10.0.0.0/33           | CIDR prefix length out of range
            IPv6 prefix too long   | 2001:db8::/129        | CIDR prefix length out of range
            signed prefix          | 10.0.0.0/+8           | bad CIDR prefix length
            empty prefix           | 10.0.0.0/             | bad CIDR prefix length
            name with a prefix     | example.com/8         | bad CIDR address
            short IPv4 with prefix | 10.1/16               | bad CIDR address
            mapped prefix too short| ::ffff:0:0/95         | an IPv4-mapped CIDR needs a prefix length of at least 96
            """)
    void rejects(String name, String text, String message) {
        assertThatThrownBy(() -> DomainPattern.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}: {1} vs {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            exact matches itself          | example.com      | example.com          | true
            exact, case and dot           | example.com      | EXAMPLE.com.         | true
            exact not a subdomain         | example.com      | a.example.com        | false
            star not the apex             | *.example.com    | example.com          | false
            star one level                | *.example.com    | a.example.com        | true
            star any depth                | *.example.com    | a.b.example.com      | true
            star label boundary           | *.example.com    | badexample.com       | false
            dot matches the apex          | .example.com     | example.com          | true
            dot any depth                 | .example.com     | a.b.example.com      | true
            dot label boundary            | .example.com     | badexample.com       | false
            IDN entry, punycode host      | bücher.example   | xn--bcher-kva.example | true
            punycode entry, IDN host      | .xn--bcher-kva.example | www.bücher.example | true
            name entry, IP host           | .example.com     | 10.0.0.1             | false
            CIDR contains                 | 10.0.0.0/8       | 10.200.0.1           | true
            CIDR does not contain         | 10.0.0.0/8       | 11.0.0.1             | false
            CIDR, mapped host             | 10.0.0.0/8       | [::ffff:10.0.0.1]    | true
            CIDR v6 contains              | 2001:db8::/32    | [2001:db8:1::5]      | true
            CIDR v6 not v4                | ::/0             | 10.0.0.1             | false
            CIDR odd prefix in            | 192.168.0.0/23   | 192.168.1.255        | true
            CIDR odd prefix out           | 192.168.0.0/23   | 192.168.2.0          | false
            CIDR never a name             | 10.0.0.0/8       | example.com          | false
            """)
    void matches(String name, String pattern, String host, boolean expected) {
        assertThat(DomainPattern.parse(pattern).matches(HostName.parse(host))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} no broader than {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            x.elb.amazonaws.com               | elb.amazonaws.com | true
            *.elb.amazonaws.com               | elb.amazonaws.com | true
            .elb.amazonaws.com                | elb.amazonaws.com | true
            .us-east-1.elb.amazonaws.com      | elb.amazonaws.com | true
            .amazonaws.com                    | elb.amazonaws.com | false
            *.amazonaws.com                   | elb.amazonaws.com | false
            .elb.amazonaws.com                | ''                | false
            """)
    void noBroaderThan(String pattern, String suffix, boolean expected) {
        assertThat(DomainPattern.parse(pattern).isNoBroaderThan(suffix)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} equals {1}")
    @CsvSource(delimiter = '|', textBlock = """
            example.com     | Example.com.
            .example.com    | .EXAMPLE.COM
            10.0.0.1        | 10.0.0.1/32
            2001:db8::/32   | 2001:0db8:0::/32
            """)
    void equalEntriesHaveOneCanonicalForm(String a, String b) {
        assertThat(DomainPattern.parse(a)).isEqualTo(DomainPattern.parse(b));
    }
}
