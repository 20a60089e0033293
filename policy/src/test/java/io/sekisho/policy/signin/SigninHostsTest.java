package io.sekisho.policy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.HostName;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SigninHosts} reads region labels and Identity Center API hosts with plain loops; these
 * tables hold it to the regular expressions it replaced (kept here as the reference).
 */
class SigninHostsTest {
    private static final Pattern SIGNIN_REGION = Pattern.compile(
            "(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eu-isoe|us-isof|eusc-de)"
                    + "-(east|west|north|south|central|northeast|northwest|southeast|southwest)-\\d{1,2}");
    private static final Pattern IDC_API = Pattern.compile(
            "(portal\\.sso|oidc|device\\.sso)(?:-fips)?\\.([a-z]{2,4}(?:-[a-z]+)+-\\d{1,2})\\."
                    + "(?:amazonaws\\.com|amazonaws\\.com\\.cn|api\\.aws|amazonaws\\.eu"
                    + "|api\\.amazonwebservices\\.com\\.cn|api\\.amazonwebservices\\.eu)");

    @ParameterizedTest(name = "{0}: {1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            portal API                 | portal.sso.us-east-1.amazonaws.com            | PORTAL_API | us-east-1
            portal API, FIPS           | portal.sso-fips.us-gov-west-1.amazonaws.com   | PORTAL_API | us-gov-west-1
            OIDC                       | oidc.eu-central-1.amazonaws.com               | OIDC       | eu-central-1
            OIDC, China                | oidc.cn-north-1.amazonaws.com.cn              | OIDC       | cn-north-1
            OIDC, dual-stack suffix    | oidc.us-east-1.api.aws                        | OIDC       | us-east-1
            device page                | device.sso.ap-southeast-2.amazonaws.com       | DEVICE     | ap-southeast-2
            EUSC suffix                | oidc.eusc-de-east-1.amazonaws.eu              | OIDC       | eusc-de-east-1
            two-digit region           | oidc.ap-southeast-10.amazonaws.com            | OIDC       | ap-southeast-10
            three-digit region         | oidc.ap-southeast-100.amazonaws.com           | OTHER      | ''
            region without number     | oidc.us-east.amazonaws.com                    | OTHER      | ''
            one-part region            | oidc.useast-1.amazonaws.com                   | OTHER      | ''
            five-letter partition      | oidc.abcde-east-1.amazonaws.com               | OTHER      | ''
            empty region part          | oidc.us--east-1.amazonaws.com                 | OTHER      | ''
            upper-case region          | oidc.US-east-1.amazonaws.com.evil             | OTHER      | ''
            FIPS without dot           | oidc-fipsus-east-1.amazonaws.com              | OTHER      | ''
            unknown suffix             | oidc.us-east-1.amazonaws.com.evil.example     | OTHER      | ''
            prefix inside a label      | xoidc.us-east-1.amazonaws.com                 | OTHER      | ''
            global sign-in             | signin.aws.amazon.com                         | SIGNIN     | ''
            regional sign-in           | us-east-1.signin.aws.amazon.com               | SIGNIN     | us-east-1
            GovCloud sign-in           | us-gov-west-1.signin.amazonaws-us-gov.com     | SIGNIN     | us-gov-west-1
            alias like a region        | us-east-x.signin.aws.amazon.com               | SIGNIN     | ''
            Identity Center sign-in    | us-east-1.signin.aws                          | IDC_SIGNIN | us-east-1
            console                    | eu-west-3.console.aws.amazon.com              | CONSOLE    | eu-west-3
            portal                     | d-1234567890.awsapps.com                      | PORTAL     | ''
            anything else              | example.com                                   | OTHER      | ''
            """)
    void classifies(String name, String host, SigninHosts.Kind kind, String region) {
        SigninHosts.Place place = SigninHosts.classify(HostName.parse(host));
        assertThat(place.kind()).isEqualTo(kind);
        assertThat(place.region()).isEqualTo(region);
    }

    @Test
    void loopsAgreeWithTheRegularExpressionsOnGeneratedNames() {
        String[] parts = {"portal.sso", "oidc", "device.sso", "-fips", ".", "-", "us", "gov", "eusc", "de", "east",
            "northeast", "abcde", "x", "1", "10", "100", "amazonaws.com", ".cn", "api.aws", "amazonaws.eu",
            "api.amazonwebservices.com", "US", "_"};
        Random random = new Random(20261122L);
        List<String> inputs = new ArrayList<>();
        for (int n = 0; n < 50_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(9); k >= 0; k--) {
                sb.append(parts[random.nextInt(parts.length)]);
            }
            inputs.add(sb.toString());
        }
        // Near-misses of the real shapes: each piece is right or slightly wrong.
        String[][] shape = {
            {"portal.sso", "oidc", "device.sso", "oidcx", "portal"},
            {"", "", "-fips", "-fip"},
            {".", ".", "-"},
            {"us", "eu", "us-gov", "eusc-de", "u", "abcde", "US", "us1"},
            {"-east-", "-northeast-", "-", "--", "-east"},
            {"1", "10", "100", "", "x"},
            {".", ".", ""},
            {"amazonaws.com", "amazonaws.com.cn", "api.aws", "amazonaws.eu", "api.amazonwebservices.eu",
                "amazonaws.com.evil", "signin.aws"},
        };
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (String[] piece : shape) {
                sb.append(piece[random.nextInt(piece.length)]);
            }
            inputs.add(sb.toString());
            inputs.add(sb.substring(sb.indexOf(".") + 1)); // the region label and beyond
            String label = sb.substring(sb.indexOf(".") + 1);
            inputs.add(label.indexOf('.') < 0 ? label : label.substring(0, label.indexOf('.')));
        }
        int apiMatches = 0;
        int regionMatches = 0;
        for (String h : inputs) {
            Matcher m = IDC_API.matcher(h);
            SigninHosts.Place place = SigninHosts.identityCenterApi(h);
            assertThat(place == null ? "none" : place.kind() + " " + place.region()).as(h)
                    .isEqualTo(m.matches() ? kind(m.group(1)) + " " + m.group(2) : "none");
            apiMatches += place != null ? 1 : 0;
            boolean region = SIGNIN_REGION.matcher(h).matches();
            assertThat(SigninHosts.signinRegion(h)).as(h).isEqualTo(region);
            regionMatches += region ? 1 : 0;
        }
        assertThat(apiMatches).as("generated API hosts").isGreaterThan(20);
        assertThat(regionMatches).as("generated region labels").isGreaterThan(20);
    }

    private static SigninHosts.Kind kind(String prefix) {
        return switch (prefix) {
            case "portal.sso" -> SigninHosts.Kind.PORTAL_API;
            case "oidc" -> SigninHosts.Kind.OIDC;
            default -> SigninHosts.Kind.DEVICE;
        };
    }
}
