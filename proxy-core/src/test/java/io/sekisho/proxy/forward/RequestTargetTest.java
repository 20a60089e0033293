package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.proxy.http1.HostPortText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Absolute-form and authority parsing: what is accepted, normalised, or refused (400). */
class RequestTargetTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            plain                  | http://example.com/a?b=c      | http | example.com | 80   | /a     | b=c
            no path                | http://example.com            | http | example.com | 80   | /      | ''
            query without path     | http://example.com?x          | http | example.com | 80   | /      | x
            explicit port          | http://example.com:8080/p     | http | example.com | 8080 | /p     | ''
            mixed case, dot        | HTTP://Example.COM./p         | http | example.com | 80   | /p     | ''
            fragment dropped       | http://example.com/p#frag     | http | example.com | 80   | /p     | ''
            IPv6 literal           | http://[2001:db8::1]:81/x     | http | 2001:db8::1 | 81   | /x     | ''
            IDN to punycode        | http://bücher.example/        | http | xn--bcher-kva.example | 80 | / | ''
            https default port     | https://example.com/          | https| example.com | 443  | /      | ''
            """)
    void parses(String name, String uri, String scheme, String host, int port, String path, String query) {
        RequestTarget t = RequestTarget.parseAbsolute(uri);
        assertThat(t.scheme()).isEqualTo(scheme);
        assertThat(t.host().value()).isEqualTo(host);
        assertThat(t.port()).isEqualTo(port);
        assertThat(t.path()).isEqualTo(path);
        assertThat(t.query()).isEqualTo(query);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            userinfo               | http://user:pw@example.com/
            other scheme           | ftp://example.com/
            empty host             | http:///path
            port zero              | http://example.com:0/
            port too large         | http://example.com:70000/
            port not a number      | http://example.com:8o/
            IPv6 without brackets  | http://2001:db8::1/
            numeric-looking name   | http://127.1/
            """)
    void refuses(String name, String uri) {
        assertThatThrownBy(() -> RequestTarget.parseAbsolute(uri)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            default port omitted   | http://example.com:80/a?q   | example.com     | /a?q | http://example.com/a?q
            other port kept        | http://example.com:8080/a   | example.com:8080 | /a  | http://example.com:8080/a
            IPv6 bracketed         | http://[::1]:81/            | [::1]:81         | /   | http://[::1]:81/
            """)
    void rendersHostOriginFormAndAbsoluteForm(String name, String uri, String authority, String originForm,
            String absolute) {
        RequestTarget t = RequestTarget.parseAbsolute(uri);
        assertThat(t.authority()).isEqualTo(authority);
        assertThat(t.originForm()).isEqualTo(originForm);
        assertThat(t.absoluteForm()).isEqualTo(absolute);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            name and port          | example.com:443     | example.com | 443
            IPv6 literal           | [2001:db8::1]:8443  | 2001:db8::1 | 8443
            IPv4 literal           | 192.0.2.7:22        | 192.0.2.7   | 22
            """)
    void parsesConnectAuthorities(String name, String authority, String host, int port) {
        HostPortText hp = HostPortText.parse(authority, -1);
        assertThat(hp.host().value()).isEqualTo(host);
        assertThat(hp.port()).isEqualTo(port);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no port                | example.com
            empty port             | example.com:
            unclosed bracket       | [2001:db8::1:443
            junk after bracket     | [::1]x443
            """)
    void refusesBadConnectAuthorities(String name, String authority) {
        assertThatThrownBy(() -> HostPortText.parse(authority, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
