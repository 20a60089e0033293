package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.CORP;
import static io.sekisho.policy.signin.SigninFixtures.CORP2;
import static io.sekisho.policy.signin.SigninFixtures.FOREIGN;
import static io.sekisho.policy.signin.SigninFixtures.allow;
import static io.sekisho.policy.signin.SigninFixtures.b64;
import static io.sekisho.policy.signin.SigninFixtures.decideRow;
import static io.sekisho.policy.signin.SigninFixtures.deny;
import static io.sekisho.policy.signin.SigninFixtures.enc;
import static io.sekisho.policy.signin.SigninFixtures.form;
import static io.sekisho.policy.signin.SigninFixtures.get;
import static io.sekisho.policy.signin.SigninFixtures.post;
import static io.sekisho.policy.signin.SigninFixtures.role;
import static io.sekisho.policy.signin.SigninFixtures.samlForm;
import static io.sekisho.policy.signin.SigninFixtures.samlXml;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.Verdict;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 5 point 3: SAML assertions posted to the sign-in hosts (aws-wire-facts §4.2). */
class SamlTest {
    private static final String SAML = "https://signin.aws.amazon.com/saml";
    /** Identity Center's service-provider ACS when it federates with an external IdP (§3.1). */
    private static final String IDC_ACS = "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/3f1c9d2e-5b7a-4c8e-9f10-aa55bb66cc77";
    private static final String BILLION_LAUGHS = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
            + "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
            + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
            + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
            + "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
            + "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
            + "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
            + "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
            + "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
            + "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
            + "<lolz>&lol9;</lolz>";

    private final SigninInspector inspector = SigninFixtures.inspector(new InMemorySigninTokenStore(),
            new SigninFixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

    static Stream<Arguments> saml() {
        String mixed = samlXml(role(CORP, "Admin"), role(FOREIGN, "Exfil"));
        return Stream.of(
                allow("one company role", form(SAML, samlForm(samlXml(role(CORP, "Admin")))), "saml", CORP),
                allow("roles in two company accounts", form(SAML, samlForm(samlXml(role(CORP, "Admin"), role(CORP2, "ReadOnly")))), "saml", ""),
                allow("provider ARN first, role ARN second", form(SAML, samlForm(samlXml("arn:aws:iam::" + CORP + ":saml-provider/CorpIdP, arn:aws:iam::" + CORP + ":role/Admin"))), "saml", CORP),
                allow("regional sign-in host", form("https://eu-west-1.signin.aws.amazon.com/saml", samlForm(samlXml(role(CORP, "Admin")))), "saml", CORP),
                deny("one foreign role among company roles", form(SAML, samlForm(mixed)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "saml", ""),
                deny("only a foreign role", form(SAML, samlForm(samlXml(role(FOREIGN, "Admin")))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "saml", FOREIGN),
                deny("company role, foreign SAML provider", form(SAML, samlForm(samlXml("arn:aws:iam::" + CORP + ":role/Admin,arn:aws:iam::" + FOREIGN + ":saml-provider/Home"))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "saml", ""),
                deny("GovCloud sign-in host, foreign role", form("https://signin.amazonaws-us-gov.com/saml", samlForm(samlXml("arn:aws-us-gov:iam::" + FOREIGN + ":role/A,arn:aws-us-gov:iam::" + FOREIGN + ":saml-provider/P"))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "saml", FOREIGN),
                deny("China sign-in host, foreign role", form("https://signin.amazonaws.cn/saml", samlForm(samlXml("arn:aws-cn:iam::" + FOREIGN + ":role/A,arn:aws-cn:iam::" + FOREIGN + ":saml-provider/P"))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "saml", FOREIGN),
                deny("foreign assertion posted to another path", form("https://signin.aws.amazon.com/platform/saml/acs/1234", samlForm(samlXml(role(FOREIGN, "Admin")))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "saml", FOREIGN),
                allow("Identity Center ACS, external IdP assertion without AWS roles", form(IDC_ACS, samlForm(samlXml())), "saml", ""),
                deny("Identity Center ACS, assertion that does carry a foreign role", form(IDC_ACS, samlForm(samlXml(role(FOREIGN, "Admin")))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "saml", FOREIGN),
                deny("Identity Center ACS, not XML", form(IDC_ACS, "SAMLResponse=" + enc(b64("not xml"))), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("per-provider console ACS, assertion without roles", form("https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46", samlForm(samlXml())), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("per-provider console ACS, foreign role", form("https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46", samlForm(samlXml(role(FOREIGN, "Admin")))), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "saml", FOREIGN),
                allow("role chooser post: company role chosen from a mixed assertion", form(SAML, samlForm(mixed) + "&roleIndex=" + enc("arn:aws:iam::" + CORP + ":role/Admin")), "saml", CORP),
                deny("role chooser post: foreign role chosen", form(SAML, samlForm(mixed) + "&roleIndex=" + enc("arn:aws:iam::" + FOREIGN + ":role/Exfil")), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "saml", FOREIGN),
                deny("role chooser post: chosen role not in the assertion", form(SAML, samlForm(samlXml(role(FOREIGN, "Exfil"))) + "&roleIndex=" + enc("arn:aws:iam::" + CORP + ":role/Admin")), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("role choice without an assertion", form(SAML, "roleIndex=" + enc("arn:aws:iam::" + CORP + ":role/Admin")), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("POST /saml without SAMLResponse", form(SAML, "RelayState=x"), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("SAMLResponse that is not base64", form(SAML, "SAMLResponse=%%%not-base64***"), Reason.BODY_MALFORMED, "saml", ""),
                deny("SAMLResponse with characters outside base64", form(SAML, "SAMLResponse=" + enc("PHNhbWw+*!")), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("SAMLResponse that is not XML", form(SAML, "SAMLResponse=" + enc(b64("not xml at all"))), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("SAMLResponse without a Role attribute", form(SAML, samlForm(samlXml())), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("Role value with one ARN only", form(SAML, samlForm(samlXml("arn:aws:iam::" + CORP + ":role/Admin"))), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("Role value split by a comment (comment-truncation trick)", form(SAML, samlForm(samlXml("arn:aws:iam::" + CORP + ":role/Ad<!-- -->min,arn:aws:iam::" + CORP + ":saml-provider/CorpIdP"))), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("Role value with a child element", form(SAML, samlForm(samlXml("<x>" + role(CORP, "Admin") + "</x>"))), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("Role value in a CDATA section", form(SAML, samlForm(samlXml("<![CDATA[" + role(CORP, "Admin") + "]]>"))), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("encrypted assertion on the console endpoint (Role values unreadable)", form(SAML, samlForm("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"><saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/></saml:EncryptedAssertion></samlp:Response>")), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("DOCTYPE with an internal entity", form(SAML, samlForm("<!DOCTYPE r [<!ENTITY a \"" + role(CORP, "Admin") + "\">]>" + samlXml("&a;"))), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("billion laughs", form(SAML, samlForm(BILLION_LAUGHS)), Reason.AWS_SAML_MALFORMED, "saml", ""),
                deny("SAMLResponse twice (company, foreign)", form(SAML, samlForm(samlXml(role(CORP, "A"))) + "&" + samlForm(samlXml(role(FOREIGN, "B")))), Reason.AWS_CREDENTIAL_CONFLICT, "saml", ""),
                deny("multipart SAML post", post(SAML, "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"SAMLResponse\"\r\n\r\n" + b64(samlXml(role(FOREIGN, "A"))) + "\r\n--b--\r\n"), Reason.BODY_MALFORMED, "saml", ""),
                allow("SAML metadata page", get("https://us-east-1.signin.aws.amazon.com/static/saml-metadata.xml"), "", ""),
                allow("GET /saml", get(SAML), "saml", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("saml")
    void samlPosts(String name, RequestFacts facts, Verdict v, Reason r, String flow, String principal) {
        decideRow(inspector, facts, v, r, flow, principal);
    }

    @Test
    void allOfferedAccountsAreInTheEvidence() {
        Decision d = inspector.decide(form(SAML, samlForm(samlXml(role(CORP, "Admin"), role(FOREIGN, "Exfil")))),
                HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.evidence().resourceAccounts()).containsExactly(CORP, FOREIGN);
        assertThat(d.rule()).isEqualTo("aws.accounts.allow");
    }

    @Test
    void theAssertionNeverReachesTheDecision() {
        String assertion = b64(samlXml(role(FOREIGN, "Exfil")));
        Decision d = inspector.decide(form(SAML, "SAMLResponse=" + enc(assertion)), HostClass.AWS_SIGNIN_CONSOLE);
        assertThat(d.toString()).doesNotContain(assertion).doesNotContain("Exfil");
    }
}
