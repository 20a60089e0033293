package io.sekisho.policy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written SSM host matchers agree with the patterns they replace, name for name. */
class SsmHostsTest {
    private static final Pattern SSM = Pattern.compile("ssm(-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?");
    private static final Pattern MESSAGES = Pattern.compile("ssmmessages\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?");

    @Test
    void namedCases() {
        assertThat(SsmHosts.isSsm("ssm.us-east-1.amazonaws.com")).isTrue();
        assertThat(SsmHosts.isSsm("ssm-fips.us-gov-west-1.amazonaws.com")).isTrue();
        assertThat(SsmHosts.isSsm("ssm.cn-north-1.amazonaws.com.cn")).isTrue();
        assertThat(SsmHosts.isMessages("ssmmessages.eu-west-1.amazonaws.com")).isTrue();
        assertThat(SsmHosts.isSsm("ssmmessages.eu-west-1.amazonaws.com")).isFalse();
        assertThat(SsmHosts.isMessages("ssm.eu-west-1.amazonaws.com")).isFalse();
        assertThat(SsmHosts.isSsm("s3.us-east-1.amazonaws.com")).isFalse();
        assertThat(SsmHosts.isSsm("ssm..amazonaws.com")).isFalse();
        assertThat(SsmHosts.isSsm("ssm.a.b.amazonaws.com")).isFalse();
        assertThat(SsmHosts.isSsm("ssm.x.amazonaws.cn")).isFalse();
        assertThat(SsmHosts.isSsm("ssm.X.amazonaws.com")).isFalse();
    }

    @Test
    void agreesWithThePatterns() {
        List<String> hosts = new ArrayList<>();
        String[] prefixes = {"ssm.", "ssm-fips.", "ssmmessages.", "ssm", "ssm-fips", "ssmmessages", "ssm-", "xssm.",
            "ssm.ssm.", ""};
        String[] labels = {"us-east-1", "", "a", "-", "A", "a.b", "a_b", "amazonaws.com", "cn", "9"};
        String[] suffixes = {".amazonaws.com", ".amazonaws.com.cn", ".amazonaws.cn", "amazonaws.com", ".amazonaws.com.",
            ".amazonaws.com.cn.cn", ".amazonaws.comx", ".cn", ""};
        for (String p : prefixes) {
            for (String l : labels) {
                for (String s : suffixes) {
                    hosts.add(p + l + s);
                }
            }
        }
        Random random = new Random(10);
        String alphabet = "sm.-fipaznocA1";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder(random.nextBoolean() ? "ssm" : "");
            int len = random.nextInt(12);
            for (int i = 0; i < len; i++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            b.append(suffixes[random.nextInt(suffixes.length)]);
            hosts.add(b.toString());
        }
        for (String h : hosts) {
            assertThat(SsmHosts.isSsm(h)).as(h).isEqualTo(SSM.matcher(h).matches());
            assertThat(SsmHosts.isMessages(h)).as(h).isEqualTo(MESSAGES.matcher(h).matches());
        }
    }
}
