package io.sekisho.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostNameTest {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            plain name               | example.com                 | example.com               | false
            mixed case               | ExAmple.COM                 | example.com               | false
            trailing dot             | example.com.                | example.com               | false
            mixed case, trailing dot | WWW.Example.Com.            | www.example.com           | false
            surrounding spaces       | '  example.com '            | example.com               | false
            IDN to punycode          | bücher.example              | xn--bcher-kva.example     | false
            IDN mixed case           | Bücher.Example              | xn--bcher-kva.example     | false
            punycode kept            | xn--bcher-kva.example       | xn--bcher-kva.example     | false
            ideographic full stop    | bücher。example             | xn--bcher-kva.example     | false
            ideographic trailing dot | example.com。               | example.com               | false
            full-width letters       | ＥＸＡＭＰＬＥ.com             | example.com               | false
            underscore label         | _dmarc.example.com          | _dmarc.example.com        | false
            single label             | intranet                    | intranet                  | false
            digits then letters      | 1password.com               | 1password.com             | false
            hex-looking label        | cafe.example                | cafe.example              | false
            IPv4                     | 192.0.2.7                   | 192.0.2.7                 | true
            IPv4 trailing dot        | 192.0.2.7.                  | 192.0.2.7                 | true
            IPv4 zero                | 0.0.0.0                     | 0.0.0.0                   | true
            IPv6 loopback            | ::1                         | ::1                       | true
            IPv6 bracketed           | [::1]                       | ::1                       | true
            IPv6 upper case          | [2001:DB8::A]               | 2001:db8::a               | true
            IPv6 leading zeros       | 2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1   | true
            IPv6 longest zero run    | 2001:db8:0:0:1:0:0:0        | 2001:db8:0:0:1::          | true
            IPv6 first run on a tie  | 2001:0:0:1:0:0:1:1          | 2001::1:0:0:1:1           | true
            IPv6 one zero group kept | 2001:db8:0:1:1:1:1:1        | 2001:db8:0:1:1:1:1:1      | true
            IPv6 unspecified         | [::]                        | ::                        | true
            IPv4-mapped is IPv4      | [::ffff:10.0.0.1]           | 10.0.0.1                  | true
            IPv4-mapped hex form     | [::ffff:a00:1]              | 10.0.0.1                  | true
            IPv4-compatible stays v6 | [::10.0.0.1]                | ::a00:1                   | true
            NAT64                    | [64:ff9b::10.0.0.1]         | 64:ff9b::a00:1            | true
            """)
    void parses(String name, String raw, String expected, boolean literal) {
        HostName h = HostName.parse(raw);
        assertThat(h.value()).isEqualTo(expected);
        assertThat(h.isIpLiteral()).isEqualTo(literal);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            empty                      | ''                     | empty host name
            only a dot                 | .                      | empty host name
            two trailing dots          | example.com..          | not a valid host name
            empty label                | a..example.com         | not a valid host name
            leading dot                | .example.com           | not a valid host name
            leading hyphen             | -a.example.com         | not a valid host name
            trailing hyphen            | a-.example.com         | not a valid host name
            space inside               | exa mple.com           | not a valid host name
            label of 64                | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com | not a valid host name
            short decimal 127.1        | 127.1                  | not a canonical IPv4 address
            hex 0x7f.1                 | 0x7f.1                 | not a canonical IPv4 address
            upper-case hex             | 0X7F.0.0.1             | not a canonical IPv4 address
            one number                 | 2130706433             | not a canonical IPv4 address
            octal                      | 0177.0.0.1             | not a canonical IPv4 address
            leading zero               | 010.0.0.1              | not a canonical IPv4 address
            octet over 255             | 256.1.1.1              | not a canonical IPv4 address
            five parts                 | 1.2.3.4.5              | not a canonical IPv4 address
            numeric last label         | example.123            | its last label is a number
            hex last label             | example.0x1f           | its last label is a number
            scope id                   | fe80::1%eth0           | not a valid IPv6 address
            bad IPv6                   | 2001:db8::g            | not a valid IPv6 address
            two double colons          | 1::2::3                | not a valid IP address
            embedded short IPv4        | ::ffff:127.1           | not a valid IPv6 address
            embedded octal IPv4        | ::ffff:0177.0.0.1      | not a valid IPv6 address
            name in brackets           | [example.com]          | only an IPv6 address may be written in brackets
            IPv4 in brackets           | [10.0.0.1]             | only an IPv6 address may be written in brackets
            host and port              | example.com:443        | not a valid IPv6 address
            """)
    void rejects(String name, String raw, String message) {
        assertThatThrownBy(() -> HostName.parse(raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsANameLongerThan253() {
        String label = "a".repeat(63);
        String name = String.join(".", label, label, label, label);  // 255 characters
        assertThatThrownBy(() -> HostName.parse(name)).hasMessage("host name longer than 253 characters");
    }

    @Test
    void aMappedAddressIsTheIpv4AddressItMaps() {
        HostName mapped = HostName.parse("[::ffff:169.254.169.254]");
        assertThat(mapped).isEqualTo(HostName.parse("169.254.169.254"));
        assertThat(mapped.literalAddress()).isInstanceOf(Inet4Address.class);
        assertThat(mapped.authorityForm()).isEqualTo("169.254.169.254");
    }

    @Test
    void ipv6AuthorityFormHasBrackets() {
        HostName h = HostName.parse("2001:db8::1");
        assertThat(h.literalAddress()).isInstanceOf(Inet6Address.class);
        assertThat(h.authorityForm()).isEqualTo("[2001:db8::1]");
    }

    @ParameterizedTest(name = "{0} within {1}: {2}")
    @CsvSource({
        "example.com, example.com, true",
        "a.example.com, example.com, true",
        "a.b.example.com, example.com, true",
        "badexample.com, example.com, false",
        "example.com, a.example.com, false",
        "example.com, '', false",
    })
    void within(String name, String suffix, boolean expected) {
        assertThat(HostName.parse(name).isWithin(suffix)).isEqualTo(expected);
    }
}
