package io.sekisho.policy.signin;

import io.sekisho.policy.Rejection;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Fuzz target (docs/fuzzing.md): {@link SamlRoles#read}. An input starting with '<' is the XML,
 * base64-encoded here as a browser posts it; any other input is passed as the base64 text itself.
 * Only the documented {@link Rejection} may escape. When the roles are read, they must be the
 * ones an XPath reading of the same document finds: the string value of every
 * {@code AttributeValue} under an {@code Attribute} named {@link SamlRoles#ROLE_ATTRIBUTE}
 * (SAML assertion namespace), each a role ARN and a provider ARN in either order.
 */
class SamlRolesFuzzTest {
    private static final String NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    private static final String VALUES = "//*[local-name()='Attribute' and namespace-uri()='" + NS + "' and @Name='"
            + SamlRoles.ROLE_ATTRIBUTE + "']//*[local-name()='AttributeValue' and namespace-uri()='" + NS + "']";
    private static final Pattern ROLE = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/.+");
    private static final Pattern PROVIDER = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):saml-provider/.+");

    @FuzzTest
    void read(byte[] input) throws Exception {
        boolean xml = input.length > 0 && input[0] == '<';
        String posted = xml ? Base64.getEncoder().encodeToString(input) : new String(input, StandardCharsets.ISO_8859_1);
        List<SamlRoles.Role> roles;
        try {
            roles = SamlRoles.read(posted);
        } catch (Rejection refused) {
            return;
        }
        byte[] doc = xml ? input : Base64.getDecoder().decode(posted.replaceAll("\\s+", ""));
        // As sets: a Role attribute nested in another lists its values once per enclosing one
        // (XPath's node set has them once); the accounts checked are the same.
        assertThat(new LinkedHashSet<>(roles)).as("roles in %s", new String(doc, StandardCharsets.UTF_8))
                .isEqualTo(new LinkedHashSet<>(reference(doc)));
    }

    private static List<SamlRoles.Role> reference(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var builder = f.newDocumentBuilder();
        builder.setErrorHandler(new DefaultHandler());
        Document d = builder.parse(new InputSource(new ByteArrayInputStream(xml)));
        NodeList values = (NodeList) XPathFactory.newInstance().newXPath().evaluate(VALUES, d, XPathConstants.NODESET);
        List<SamlRoles.Role> out = new ArrayList<>();
        for (int i = 0; i < values.getLength(); i++) {
            String[] parts = values.item(i).getTextContent().split(",", -1);
            assertThat(parts).hasSize(2);
            SamlRoles.Role r = role(parts[0].strip(), parts[1].strip());
            out.add(r != null ? r : role(parts[1].strip(), parts[0].strip()));
        }
        return out;
    }

    private static SamlRoles.Role role(String roleArn, String providerArn) {
        Matcher r = ROLE.matcher(roleArn);
        Matcher p = PROVIDER.matcher(providerArn);
        return r.matches() && p.matches() ? new SamlRoles.Role(roleArn, r.group(1), p.group(1)) : null;
    }
}
