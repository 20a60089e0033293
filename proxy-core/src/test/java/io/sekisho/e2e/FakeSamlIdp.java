package io.sekisho.e2e;

import static io.sekisho.e2e.FakeResponse.escape;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A company SAML IdP and the assertions it issues (aws-wire-facts §4.2).
 *
 * <p>{@link #samlResponse} builds the base64 {@code SAMLResponse} form value: a minimal SAML 2.0
 * Response whose {@code https://aws.amazon.com/SAML/Attributes/Role} values are
 * {@code role-arn,provider-arn}. It is unsigned: the proxy reads the accounts, it does not verify
 * the IdP (AWS does). On its host ({@value #DEFAULT_HOST} by default) the IdP serves
 * {@code /idp/aws?roles=<acct>:<role>[,<acct>:<role>…]}, a page that auto-posts such an assertion
 * to {@code https://signin.aws.amazon.com/saml} as a real IdP does.
 */
public final class FakeSamlIdp {

    public static final String DEFAULT_HOST = "idp.corp.example";
    private static final String ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    private static final Duration VALIDITY = Duration.ofMinutes(5);

    private final String host;
    private final Clock clock;

    /** What the sign-in fake reads from an assertion. */
    public record Assertion(String nameId, List<String> roleValues) {
        /** The role ARN of each value (the half with {@code :role/}). */
        public List<String> roleArns() {
            return roleValues.stream().map(value -> {
                for (String arn : value.split(",")) {
                    if (arn.trim().contains(":role/")) {
                        return arn.trim();
                    }
                }
                throw new IllegalArgumentException("role value without a role ARN");
            }).toList();
        }
    }

    FakeSamlIdp(String host, Clock clock) {
        this.host = host;
        this.clock = clock;
    }

    boolean serves(String requestHost) {
        return requestHost.equals(host);
    }

    public String host() {
        return host;
    }

    /** {@code arn:aws:iam::<acct>:role/<role>,arn:aws:iam::<acct>:saml-provider/CorpIdP}. */
    public static String roleValue(String account, String role) {
        return "arn:aws:iam::" + account + ":role/" + role + ",arn:aws:iam::" + account + ":saml-provider/CorpIdP";
    }

    /** Base64 SAMLResponse for the user, offering each role value. */
    public static String samlResponse(String nameId, List<String> roleValues, Instant now) {
        return Base64.getEncoder().encodeToString(responseXml(nameId, roleValues, now).getBytes(StandardCharsets.UTF_8));
    }

    /** The XML before base64, for tests that need to tamper with it (XXE, broken markup). */
    public static String responseXml(String nameId, List<String> roleValues, Instant now) {
        String issued = iso(now);
        String until = iso(now.plus(VALIDITY));
        StringBuilder values = new StringBuilder();
        roleValues.forEach(v -> values.append("<saml:AttributeValue>").append(escape(v)).append("</saml:AttributeValue>"));
        return "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"" + ASSERTION_NS
                + "\" ID=\"_" + UUID.randomUUID() + "\" Version=\"2.0\" IssueInstant=\"" + issued
                + "\" Destination=\"" + SigninWireShapes.SAML_URL + "\">"
                + "<saml:Issuer>https://" + DEFAULT_HOST + "/saml</saml:Issuer>"
                + "<samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>"
                + "<saml:Assertion ID=\"_" + UUID.randomUUID() + "\" Version=\"2.0\" IssueInstant=\"" + issued + "\">"
                + "<saml:Issuer>https://" + DEFAULT_HOST + "/saml</saml:Issuer>"
                + "<saml:Subject><saml:NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\">"
                + escape(nameId) + "</saml:NameID><saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">"
                + "<saml:SubjectConfirmationData NotOnOrAfter=\"" + until + "\" Recipient=\"" + SigninWireShapes.SAML_URL
                + "\"/></saml:SubjectConfirmation></saml:Subject>"
                + "<saml:Conditions NotBefore=\"" + issued + "\" NotOnOrAfter=\"" + until + "\"><saml:AudienceRestriction>"
                + "<saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
                + "<saml:AuthnStatement AuthnInstant=\"" + issued + "\"><saml:AuthnContext><saml:AuthnContextClassRef>"
                + "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>"
                + "</saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>"
                + "<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"><saml:AttributeValue>"
                + escape(nameId) + "</saml:AttributeValue></saml:Attribute>"
                + "<saml:Attribute Name=\"" + SigninWireShapes.SAML_ROLE_ATTRIBUTE + "\">" + values + "</saml:Attribute>"
                + "<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/SessionDuration\"><saml:AttributeValue>3600"
                + "</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>";
    }

    /**
     * Reads a base64 SAMLResponse. The parser refuses DOCTYPEs, so an XXE probe fails here
     * instead of reaching out; any defect is an {@link IllegalArgumentException}.
     */
    public static Assertion parse(String base64) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(Base64.getMimeDecoder().decode(base64)));
            NodeList names = document.getElementsByTagNameNS(ASSERTION_NS, "NameID");
            String nameId = names.getLength() > 0 ? names.item(0).getTextContent().trim() : "unknown";
            List<String> roles = new ArrayList<>();
            NodeList attributes = document.getElementsByTagNameNS(ASSERTION_NS, "Attribute");
            for (int i = 0; i < attributes.getLength(); i++) {
                Element attribute = (Element) attributes.item(i);
                if (SigninWireShapes.SAML_ROLE_ATTRIBUTE.equals(attribute.getAttribute("Name"))) {
                    NodeList values = attribute.getElementsByTagNameNS(ASSERTION_NS, "AttributeValue");
                    for (int j = 0; j < values.getLength(); j++) {
                        roles.add(values.item(j).getTextContent().trim());
                    }
                }
            }
            if (roles.isEmpty()) {
                throw new IllegalArgumentException("no Role attribute");
            }
            Assertion assertion = new Assertion(nameId, List.copyOf(roles));
            assertion.roleArns();
            return assertion;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("malformed SAML response", e);
        }
    }

    FakeResponse handle(RecordedRequest request) {
        if (!request.path().equals("/idp/aws")) {
            return FakeResponse.of(404, "text/plain", "no such IdP page");
        }
        List<String> values = new ArrayList<>();
        for (String pair : request.query().getOrDefault("roles", "").split(",")) {
            String[] accountRole = pair.split(":", 2);
            if (accountRole.length == 2) {
                values.add(roleValue(accountRole[0], accountRole[1]));
            }
        }
        String user = request.query().getOrDefault("user", "alice");
        return HtmlPages.page("idp-post.html", Map.of("samlUrl", SigninWireShapes.SAML_URL,
                "samlResponse", samlResponse(user, values, clock.instant()),
                "relayState", request.query().getOrDefault("relay", "")));
    }

    private static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
