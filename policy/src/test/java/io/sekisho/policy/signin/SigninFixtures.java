package io.sekisho.policy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;
import io.sekisho.policy.SimpleHeaders;
import io.sekisho.policy.Verdict;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.aws.credentials.AccountResolver;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Shared test data: the corpus identities (../shared/corpus/README.md beside the checkout) and request builders.
 * Corporate accounts 111122223333 and 444455556666; foreign 999988887777 and 123456789012.
 */
final class SigninFixtures {
    static final String CORP = "111122223333";
    static final String CORP2 = "444455556666";
    static final String FOREIGN = "999988887777";
    static final String FOREIGN2 = "123456789012";

    static final String ASIA_CORP = "ASIARTX3GSDS4GCQ34AW";      // 111122223333
    static final String AKIA_CORP2 = "AKIAWO645SY5PYZFPQLB";     // 444455556666
    static final String ASIA_FOREIGN = "ASIA6RU73QDQ3B36GCJB";   // 999988887777
    static final String AKIA_OLD = "AKIAIOSFODNN7EXAMPLE";       // old format: no account
    static final String AKIA_OLD_MAPPED = "AKIAJEXAMPLEMAPPEDKA"; // old format, in aws.keys
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENxyz";

    static final String CORP_INSTANCE = "ssoins-7223a1b2c3d4e5f6";
    static final String FOREIGN_INSTANCE = "ssoins-99990000aaaabbbb";

    static final AwsSettings SETTINGS = new AwsSettings(
            List.of(new AwsSettings.AccountEntry(CORP, "corp-prod", List.of("corp-prod")),
                    new AwsSettings.AccountEntry(CORP2, "corp-dev", List.of("corp-dev"))),
            Map.of(AKIA_OLD_MAPPED, CORP),
            false, List.of(), List.of(),
            List.of("https://corp-example.awsapps.com/start",
                    "https://identitycenter.amazonaws.com/" + CORP_INSTANCE,
                    "https://start.us-gov-home.awsapps.com/directory/d-9067aaaaaa"),
            List.of("break-glass@corp.example"));

    private SigninFixtures() {
    }

    static SigninInspector inspector(SigninTokenStore store, Clock clock) {
        return new SigninInspector(SETTINGS, store, clock, new AccountResolver(SETTINGS.staticKeys(), KeyLookup.NONE));
    }

    static RequestFacts get(String url, String... headers) {
        return request("GET", url, null, null, headers);
    }

    static RequestFacts post(String url, String contentType, String body, String... headers) {
        return request("POST", url, contentType, body, headers);
    }

    static RequestFacts form(String url, String body, String... headers) {
        return post(url, "application/x-www-form-urlencoded", body, headers);
    }

    static RequestFacts json(String url, String body, String... headers) {
        return post(url, "application/json", body, headers);
    }

    /** A request as proxy-core hands it over: the body attached only when there is one. */
    static RequestFacts request(String method, String url, String contentType, String body, String... headers) {
        // Split by hand, not with java.net.URI: some rows carry deliberately malformed escapes.
        String rest = url.substring(url.indexOf("://") + 3);
        int q = rest.indexOf('?');
        String query = q < 0 ? "" : rest.substring(q + 1);
        rest = q < 0 ? rest : rest.substring(0, q);
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"Host", host});
        for (int i = 0; i < headers.length; i += 2) {
            lines.add(new String[] {headers[i], headers[i + 1]});
        }
        ByteBuffer b = null;
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            lines.add(new String[] {"Content-Type", contentType});
            lines.add(new String[] {"Content-Length", Integer.toString(bytes.length)});
            b = ByteBuffer.wrap(bytes);
        }
        return new RequestFacts("req-1", "127.0.0.1:50000", method, "https", HostName.parse(host), 443,
                path, query, SimpleHeaders.fromLines(lines), b, body != null, HostName.parse(host));
    }

    static ResponseFacts jsonResponse(int status, String body) {
        return new ResponseFacts(status, SimpleHeaders.of("Content-Type", "application/json"),
                ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), true);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The federation {@code Session} JSON for a key (AWS IAM guide, "custom identity broker"). */
    static String session(String akid) {
        return "{\"sessionId\":\"" + akid + "\",\"sessionKey\":\"" + SECRET + "\",\"sessionToken\":\""
                + SESSION_TOKEN + "\"}";
    }

    static String getSigninTokenQuery(String akid) {
        return "Action=getSigninToken&SessionDuration=3600&Session=" + enc(session(akid));
    }

    /** A SAML 2.0 response offering these Role values (unsigned: AWS checks signatures, not us). */
    static String samlXml(String... roleValues) {
        StringBuilder values = new StringBuilder();
        for (String v : roleValues) {
            values.append("<saml:AttributeValue>").append(v).append("</saml:AttributeValue>");
        }
        return "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""
                + " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r1\" Version=\"2.0\""
                + " IssueInstant=\"2026-01-01T00:00:00Z\" Destination=\"https://signin.aws.amazon.com/saml\">"
                + "<saml:Issuer>https://idp.corp.example</saml:Issuer>"
                + "<saml:Assertion ID=\"_a1\" Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\">"
                + "<saml:Issuer>https://idp.corp.example</saml:Issuer>"
                + "<saml:AttributeStatement>"
                + "<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\">"
                + "<saml:AttributeValue>alice@corp.example</saml:AttributeValue></saml:Attribute>"
                + "<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/Role\">" + values
                + "</saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>";
    }

    static String role(String account, String name) {
        return "arn:aws:iam::" + account + ":role/" + name + ",arn:aws:iam::" + account + ":saml-provider/CorpIdP";
    }

    static String b64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    static String samlForm(String xml) {
        return "SAMLResponse=" + enc(b64(xml)) + "&RelayState=";
    }

    /** The aws-userInfo cookie as observed in public dumps: URL-encoded JSON. */
    static String userInfoCookie(String arn) {
        return "aws-userInfo=" + enc("{\"arn\":\"" + arn + "\",\"alias\":\"x\",\"username\":\"u\","
                + "\"issuer\":\"http://signin.aws.amazon.com/signin\",\"signinType\":\"PUBLIC\"}");
    }

    /** A table row: an allowed request, its flow and the account it signs in to ("" for none). */
    static Arguments allow(String name, RequestFacts facts, String flow, String principal) {
        return Arguments.of(name, facts, Verdict.ALLOW, Reason.AWS_SIGNIN_ALLOWED, flow, principal);
    }

    /** A table row: a denied request, its reason, its flow and the account that caused it. */
    static Arguments deny(String name, RequestFacts facts, Reason reason, String flow, String principal) {
        return Arguments.of(name, facts, Verdict.DENY, reason, flow, principal);
    }

    /** Decides one row the way the engine does: body attached when asked for. */
    static Decision decideRow(SigninInspector inspector, RequestFacts facts, Verdict verdict, Reason reason,
            String flow, String principal) {
        Decision d = inspector.decide(facts, HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.verdict()).as("verdict").isEqualTo(verdict);
        assertThat(d.reason()).as("reason").isEqualTo(reason);
        assertThat(d.evidence().flow()).as("flow").isEqualTo(flow);
        assertThat(d.evidence().principalAccount()).as("principal account").isEqualTo(principal);
        return d;
    }

    /** A Clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
