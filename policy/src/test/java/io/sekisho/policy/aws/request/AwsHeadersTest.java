package io.sekisho.policy.aws.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The header-name comparisons of {@link AwsHeaders} answer exactly as the JDK's case-insensitive ones. */
class AwsHeadersTest {

    @ParameterizedTest(name = "{0}: {1} vs {2}")
    @CsvSource(delimiter = '|', textBlock = """
            same                        | X-Amz-Target                 | X-Amz-Target
            other case                  | x-amz-target                 | X-Amz-Target
            upper case                  | AUTHORIZATION                | Authorization
            different name, same length | Content-Type                 | X-Amz-Target
            one letter off              | Content-Typf                 | Content-Type
            shorter                     | x-amz-acl                    | x-amz-grant-
            longer                      | x-amz-grant-read-acp         | x-amz-grant-
            Kelvin sign folds to k      | x-amz-security-to\u212Aen         | X-Amz-Security-Token
            long s folds to S           | x-amz-\u017Fecurity-token         | X-Amz-Security-Token
            dotted capital I            | x-amz-s3sess\u0130on-token        | x-amz-s3session-token
            dotless small i             | x-amz-s3sess\u0131on-token        | x-amz-s3session-token
            Latin-1 letter              | x-amz-t\u00e4rget                 | X-Amz-Target
            empty                       | ''                           | ''
            """)
    void comparesLikeTheJdk(String name, String header, String expected) {
        String h = unescape(header);
        assertThat(AwsHeaders.is(h, expected)).isEqualTo(h.equalsIgnoreCase(expected));
        assertThat(AwsHeaders.startsWith(h, expected))
                .isEqualTo(h.regionMatches(true, 0, expected, 0, expected.length()));
    }

    @Test
    void comparesLikeTheJdkOnGeneratedNames() {
        String[] names = {"Authorization", "X-Amz-Security-Token", "x-amz-s3session-token", "x-amz-", "x-amz-grant-",
            "Content-Type", "x-amz-expected-bucket-owner"};
        char[] chars = {'a', 'A', 'k', 'K', '\u212A', 's', 'S', '\u017F', 'i', 'I', '\u0130', '\u0131', '-', '\u00e4',
            '\u00c4', '3', 'z', 'Z', '\u00ff', '\u0178'};
        Random random = new Random(20261122L);
        int equal = 0;
        for (int n = 0; n < 100_000; n++) {
            String expected = names[random.nextInt(names.length)];
            char[] h = expected.toCharArray();
            for (int k = random.nextInt(3); k >= 0; k--) {
                h[random.nextInt(h.length)] = chars[random.nextInt(chars.length)];
            }
            String header = new String(h);
            boolean jdk = header.equalsIgnoreCase(expected);
            assertThat(AwsHeaders.is(header, expected)).as(header).isEqualTo(jdk);
            assertThat(AwsHeaders.startsWith(header + "-x", expected)).as(header)
                    .isEqualTo((header + "-x").regionMatches(true, 0, expected, 0, expected.length()));
            equal += jdk ? 1 : 0;
        }
        assertThat(equal).as("generated names equal to their model").isGreaterThan(1_000);
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\u", i)) {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }
}
