package io.sekisho.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link HostName#parse} takes a fast path for plain ASCII names; it must give exactly what the
 * full path (IDN.toASCII and the regular expressions) gives: the same value, or the same error.
 */
class HostNameFastPathTest {

    @ParameterizedTest(name = "{0}: ''{1}'' (fast path: {2})")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            plain                       | example.com                     | true
            upper case                  | EXAMPLE.COM                     | true
            mixed case                  | Sts.Us-East-1.AmazonAWS.com     | true
            trailing dot                | example.com.                    | true
            upper case, trailing dot    | WWW.Example.Com.                | true
            single label                | intranet                        | true
            underscore label            | _dmarc.example.com              | true
            underscore last label       | a._b                            | true
            digits first                | 1password.com                   | true
            hyphen inside               | my-bucket.s3.amazonaws.com      | true
            punycode kept               | xn--bcher-kva.example           | true
            63-character label          | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com | true
            64-character label          | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com | false
            surrounding spaces          | '  Example.com '                | true
            IDN                         | bücher.example                  | false
            IDN upper case              | BÜCHER.example                  | false
            ideographic full stop       | bücher。example                 | false
            ideographic trailing dot    | example.com。                   | false
            full-width letters          | ＥＸＡＭＰＬＥ.com                 | false
            Kelvin sign                 | \u212Aelvin.example             | false
            dotless i                   | \u0131nternal.example           | false
            IPv4                        | 192.0.2.7                       | false
            IPv4 trailing dot           | 192.0.2.7.                      | false
            IPv4 leading zero           | 192.0.2.07                      | false
            short IPv4                  | 127.1                           | false
            hex IPv4                    | 0x7f.0.0.1                      | false
            numeric last label          | example.123                     | false
            hex last label              | example.0x1f                    | false
            IPv6                        | ::1                             | false
            IPv6 bracketed              | [2001:DB8::A]                   | false
            bracketed name              | [example.com]                   | false
            empty                       | ''                              | false
            only a dot                  | .                               | false
            two trailing dots           | example.com..                   | false
            empty label                 | a..example.com                  | false
            leading dot                 | .example.com                    | false
            leading hyphen              | -a.example.com                  | false
            trailing hyphen             | a-.example.com                  | false
            hyphen last label start     | example.-com                    | false
            space inside                | exa mple.com                    | false
            slash                       | example.com/path                | false
            at sign                     | user@example.com                | false
            percent                     | ex%61mple.com                   | false
            asterisk                    | *.example.com                   | false
            """)
    void fastPathAgreesWithFullPath(String name, String raw, boolean fast) {
        String input = unescape(raw);
        assertThat(outcome(() -> HostName.parse(input))).isEqualTo(outcome(() -> HostName.parseWithoutFastPath(input)));
        assertThat(HostName.plainAsciiName(input.trim()) != null).as("fast path taken").isEqualTo(fast);
    }

    @Test
    void fastPathAgreesWithFullPathOnGeneratedNames() {
        String[] parts = {"a", "Z", "0", "9", "-", "_", ".", "x", "xn--", "0x", "ü", "。", "K", "\u212A", " ", "com",
            "255", "1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
        Random random = new Random(20261122L);
        List<String> inputs = new ArrayList<>();
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(12); k >= 0; k--) {
                sb.append(parts[random.nextInt(parts.length)]);
            }
            inputs.add(sb.toString());
        }
        inputs.add("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61)); // 253
        inputs.add("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(62)); // 254
        int fast = 0;
        for (String input : inputs) {
            assertThat(outcome(() -> HostName.parse(input))).as(input)
                    .isEqualTo(outcome(() -> HostName.parseWithoutFastPath(input)));
            fast += HostName.plainAsciiName(input.trim()) != null ? 1 : 0;
        }
        assertThat(fast).as("inputs that took the fast path").isGreaterThan(1000);
    }

    private static String outcome(java.util.function.Supplier<HostName> parse) {
        try {
            HostName h = parse.get();
            return "ok " + h.value() + " literal=" + h.isIpLiteral();
        } catch (IllegalArgumentException e) {
            return "error " + e.getMessage();
        }
    }

    private static String unescape(String s) {
        return s.replace("\\u212A", "\u212A").replace("\\u0131", "\u0131");
    }
}
