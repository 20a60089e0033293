package io.sekisho.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.config.SekishoConfig.HostPort;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tables for the leaf value grammars: durations, host:port, and the AWS identifiers. */
class ValueParsersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "500ms, PT0.5S",
        "10s,   PT10S",
        "5m,    PT5M",
        "1h,    PT1H",
        "7d,    PT168H",
        "0s,    PT0S",
    })
    void durationsParse(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "30     | `30` has no unit; write e.g. `30s` (units: ms, s, m, h, d)",
        "1.5    | `1.5` is not a duration; write a whole number and a unit: 500ms, 10s, 5m, 1h, 7d",
        "10 s   | `10 s` is not a duration; write a whole number and a unit: 500ms, 10s, 5m, 1h, 7d",
        "10S    | `10S` is not a duration; write a whole number and a unit: 500ms, 10s, 5m, 1h, 7d",
        "-5s    | `-5s` is not a duration; write a whole number and a unit: 500ms, 10s, 5m, 1h, 7d",
        "1h30m  | `1h30m` is not a duration; write a whole number and a unit: 500ms, 10s, 5m, 1h, 7d",
        "9999999999s | `9999999999s` is not a duration; write a whole number and a unit: 500ms, 10s, 5m, 1h, 7d",
    })
    void badDurationsSayWhatToWrite(String text, String message) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PT0.5S, 500ms", "PT10S, 10s", "PT90S, 90s", "PT5M, 5m", "PT168H, 7d", "PT0S, 0s", "PT36H, 36h"})
    void durationsFormatInConfigUnits(String duration, String text) {
        assertThat(Durations.format(Duration.parse(duration))).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "127.0.0.1:3128,      127.0.0.1,   3128",
        "[::1]:3128,          ::1, 3128",
        "Proxy.Corp.Example.:8080, proxy.corp.example, 8080",
        "0.0.0.0:0,           0.0.0.0,     0",
    })
    void hostPortsParse(String text, String host, int port) {
        assertThat(HostPorts.parse(text, false, 0)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "localhost          | `localhost` has no port; write host:port, e.g. 127.0.0.1:3128 or [::1]:3128",
        "::1:3128           | `::1:3128`: write an IPv6 address in brackets, e.g. [::1]:3128",
        ":3128              | `:3128` has no host; write host:port, e.g. 127.0.0.1:3128 or [::1]:3128",
        "host:http          | `host:http`: the port must be a number 1-65535",
        "host:0             | `host:0`: port 0 is out of range 1-65535",
        "host:65536         | `host:65536`: port 65536 is out of range 1-65535",
        "http://proxy:8080  | `http://proxy:8080`: write host:port without a scheme, e.g. 127.0.0.1:3128 or [::1]:3128",
        "bad_host!:80       | `bad_host!:80`: not a valid host name: bad_host!",
    })
    void badHostPortsSayWhy(String text, String message) {
        assertThatThrownBy(() -> HostPorts.parse(text, false, 1)).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "vpce.example.com:443 | `vpce.example.com:443`: the target must be an IP address and port, e.g. 10.0.0.5:443"
                + " or [2001:db8::5]:443 (a name would need the DNS lookup this override replaces)",
        "10.0.0.5             | `10.0.0.5` has no port; write host:port, e.g. 10.0.0.5:443 or [2001:db8::5]:443",
    })
    void resolveTargetsMustBeIpAndPort(String text, String message) {
        assertThatThrownBy(() -> HostPorts.parse(text, true, 1)).hasMessage(message);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "https://corp.awsapps.com/start,             https://corp.awsapps.com/start",
        "https://Corp.AWSAPPS.com/start/,            https://corp.awsapps.com/start",
        "HTTPS://d-1234567890.awsapps.com/start//,   https://d-1234567890.awsapps.com/start",
        "https://ssoins-7223cafebabe.portal.us-east-1.app.aws, https://ssoins-7223cafebabe.portal.us-east-1.app.aws",
        "https://identitycenter.amazonaws.com/ssoins-1234,     https://identitycenter.amazonaws.com/ssoins-1234",
    })
    void startUrlsAreNormalised(String text, String expected) {
        assertThat(AwsValues.startUrl(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://corp.awsapps.com/start",
        "https://corp.awsapps.com:8443/start",
        "https://user@corp.awsapps.com/start",
        "https://corp.awsapps.com/start#/console",
        "corp.awsapps.com/start",
    })
    void startUrlsOtherThanPlainHttpsAreRefused(String text) {
        assertThatThrownBy(() -> AwsValues.startUrl(text))
                .hasMessageStartingWith("`" + text + "` is not an Identity Center start URL: ");
    }

    @ParameterizedTest(name = "{0} valid={1}")
    @CsvSource({
        "corp-logs,           true",
        "corp.logs.2024,      true",
        "corp-*,              true",
        "*-logs,              true",
        "*,                   true",
        "ab,                  false",
        "Corp-Logs,           false",
        "corp_logs,           false",
        "corp..logs,          false",
        "-corp,               false",
        "corp.,               false",
        "192.168.5.4,         false",
        "xn--corp,            false",
        "sthree-corp,         false",
        "amzn-s3-demo-corp,   false",
        "corp-s3alias,        false",
        "corp--ol-s3,         false",
        "corp.mrap,           false",
        "corp--x-s3,          false",
        "corp--table-s3,      false",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false",
    })
    void bucketGlobsFollowS3NamingRules(String glob, boolean valid) {
        if (valid) {
            assertThat(AwsValues.bucketGlob(glob)).isEqualTo(glob);
        } else {
            assertThatThrownBy(() -> AwsValues.bucketGlob(glob))
                    .hasMessageStartingWith("`" + glob + "` is not a bucket name pattern: ");
        }
    }

    @ParameterizedTest(name = "{0} valid={1}")
    @CsvSource({
        "corp-prod,    true",
        "abc,          true",
        "a1-b2-c3,     true",
        "ab,           false",
        "-corp,        false",
        "corp-,        false",
        "corp--prod,   false",
        "Corp,         false",
        "corp_prod,    false",
        "123456789012, false",
    })
    void aliasesFollowIamRules(String alias, boolean valid) {
        if (valid) {
            assertThat(AwsValues.alias(alias)).isEqualTo(alias);
        } else {
            assertThatThrownBy(() -> AwsValues.alias(alias)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0} valid={1}")
    @CsvSource({
        "AKIAIOSFODNN7EXAMPLE, true",
        "ASIAY34FZKBOKMUTVV7A, true",
        "AKIAIOSFODNN7EXAMPL,  false",
        "AKIAIOSFODNN7EXAMPLE1, false",
        "AKIAIOSFODNN7EXAMPL1, false",
        "AIDAIOSFODNN7EXAMPLE, false",
        "akiaiosfodnn7example, false",
    })
    void accessKeyIds(String id, boolean valid) {
        if (valid) {
            assertThat(AwsValues.accessKeyId(id)).isEqualTo(id);
        } else {
            assertThatThrownBy(() -> AwsValues.accessKeyId(id)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "root@corp.example,    root@corp.example",
        "Root.Admin@Corp.Example, root.admin@corp.example",
        "root,                 ",
        "root@localhost,       ",
        "@corp.example,        ",
        "a@b@corp.example,     ",
        "root@10.0.0.1,        ",
    })
    void emails(String text, String expected) {
        if (expected != null) {
            assertThat(AwsValues.email(text)).isEqualTo(expected);
        } else {
            assertThatThrownBy(() -> AwsValues.email(text)).hasMessage("`" + text + "` is not an e-mail address");
        }
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
        "lisen,        'version,listen,mode', listen",
        "idletimeout,  'idle,idleTimeout',    idleTimeout",
        "idle_timeout, 'idle,idleTimeout',    idleTimeout",
        "MaxPerHost,   'maxPerHost',          maxPerHost",
        "banana,       'connect,idle',        ",
        "mod,          'mode,listen',         mode",
        "xyz,          'mode',                ",
    })
    void didYouMean(String unknown, String known, String expected) {
        assertThat(Nodes.closest(unknown, java.util.List.of(known.split(",")))).isEqualTo(expected);
    }
}
