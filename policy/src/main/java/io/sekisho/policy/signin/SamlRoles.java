package io.sekisho.policy.signin;

import io.sekisho.policy.Rejection;
import io.sekisho.policy.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads the roles a SAML 2.0 response offers for AWS console sign-in (aws-wire-facts §4.2):
 * every value of the {@code https://aws.amazon.com/SAML/Attributes/Role} attribute, each a
 * pair {@code <role-arn>,<saml-provider-arn>} in either order.
 *
 * <p>The signature is deliberately not verified. AWS verifies it against the SAML provider
 * named in the assertion, in the account that owns that provider. The threat here is not a
 * forged assertion (AWS rejects it) but a genuine one from the user's own IdP for their own
 * account, which is validly signed; only the accounts in the Role values tell it apart.
 *
 * <p>The XML parser is hardened because the assertion is attacker-supplied: no DOCTYPE at
 * all (which rules out external entities, external DTDs and entity-expansion bombs), no
 * XInclude, secure processing on, no external access, and an entity resolver that refuses.
 */
final class SamlRoles {
    static final String ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role";
    private static final String ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/.+");
    private static final Pattern PROVIDER_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):saml-provider/.+");

    /** One offered role. */
    record Role(String roleArn, String account, String providerAccount) {
    }

    private SamlRoles() {
    }

    /**
     * The roles in a base64 {@code SAMLResponse}.
     *
     * @return every Role value; empty when there is none (an encrypted assertion, or an
     *     assertion for Identity Center's own service provider, which carries no AWS role)
     * @throws Rejection AWS_SAML_MALFORMED for bad base64, XML that does not parse or carries
     *     a DOCTYPE, or a Role value that is not a role/provider ARN pair
     */
    static List<Role> read(String samlResponseBase64) throws Rejection {
        byte[] xml;
        try {
            xml = Base64.getDecoder().decode(samlResponseBase64.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw malformed("SAMLResponse is not base64");
        }
        Document doc = parse(xml);
        List<Role> roles = new ArrayList<>();
        NodeList attributes = doc.getElementsByTagNameNS(ASSERTION_NS, "Attribute");
        for (int i = 0; i < attributes.getLength(); i++) {
            Element a = (Element) attributes.item(i);
            if (namesRoleAttribute(a)) {
                NodeList values = a.getElementsByTagNameNS(ASSERTION_NS, "AttributeValue");
                for (int k = 0; k < values.getLength(); k++) {
                    roles.add(role(plainText((Element) values.item(k))));
                }
            }
        }
        return List.copyOf(roles);
    }

    /**
     * True when an attribute of {@code a} whose local name is {@code Name}, in any namespace or
     * written with an empty prefix ({@code :Name}), names the Role attribute. getAttribute("Name")
     * matches the written name only, so {@code :Name=} hid the roles from us while a
     * namespace-aware reader (XPath's {@code @Name}) still sees them; reading more roles only
     * checks more.
     */
    private static boolean namesRoleAttribute(Element a) {
        NamedNodeMap attributes = a.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node n = attributes.item(i);
            String local = n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
            if ("Name".equals(local) && ROLE_ATTRIBUTE.equals(n.getNodeValue())) {
                return true;
            }
        }
        return false;
    }

    private static Role role(String value) throws Rejection {
        String[] parts = value.split(",", -1);
        if (parts.length != 2) {
            throw malformed("a Role value is not a role ARN and a provider ARN");
        }
        String a = parts[0].strip();
        String b = parts[1].strip();
        Matcher role = ROLE_ARN.matcher(a);
        Matcher provider = PROVIDER_ARN.matcher(b);
        if (!(role.matches() && provider.matches())) {
            role = ROLE_ARN.matcher(b);
            provider = PROVIDER_ARN.matcher(a);
            if (!(role.matches() && provider.matches())) {
                throw malformed("a Role value is not a role ARN and a provider ARN");
            }
        }
        return new Role(role.group(0), role.group(1), provider.group(1));
    }

    /**
     * The text of an AttributeValue that holds text only. Comments, CDATA sections or child
     * elements are refused: XML libraries disagree on how to join text split by them (the
     * 2018 SAML comment-truncation bugs), and AWS must not read a different ARN than we do.
     */
    private static String plainText(Element value) throws Rejection {
        StringBuilder b = new StringBuilder();
        for (Node n = value.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() != Node.TEXT_NODE) {
                throw malformed("a Role value holds more than plain text");
            }
            b.append(n.getNodeValue());
        }
        return b.toString();
    }

    private static Document parse(byte[] xml) throws Rejection {
        try {
            DocumentBuilder builder = hardenedFactory().newDocumentBuilder();
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are refused");
            });
            builder.setErrorHandler(SILENT); // the default handler prints to stderr
            return builder.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (SAXException | IOException e) {
            throw malformed("SAML response is not acceptable XML");
        } catch (ParserConfigurationException e) {
            // The JDK parser supports every feature set below; failing here is a deploy problem.
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
    }

    /** A new factory per parse: factories are not thread-safe, and SAML posts are rare. */
    private static DocumentBuilderFactory hardenedFactory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setValidating(false);
        f.setCoalescing(false);
        f.setIgnoringComments(false);
        return f;
    }

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private static Rejection malformed(String message) {
        return new Rejection(Reason.AWS_SAML_MALFORMED, message);
    }
}
