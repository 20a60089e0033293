package io.sekisho.policy.aws.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sekisho.policy.aws.wire.Text;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Fuzz target (docs/fuzzing.md): {@link XmlScanner} against the JDK's DOM parser, read the way
 * a service reads a configuration document: the value of a leaf element is its whole text
 * content (text, CDATA and character references joined, comments and processing instructions
 * dropped). Every account the reference finds in such values (ARNs anywhere, twelve digits in
 * account-naming elements, public grantee URIs) must be found by the scanner; it may find more,
 * which only denies more. A document DOM reads must not be called malformed, and nothing may throw.
 */
class XmlScannerFuzzTest {
    private static final ThreadLocal<DocumentBuilder> DOM = ThreadLocal.withInitial(XmlScannerFuzzTest::builder);

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // As the scanner: no DTD, so nothing is fetched or expanded.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler());
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void scan(byte[] input) {
        CharSequence body = Text.latin1(ByteBuffer.wrap(input));
        AccountSet found = new AccountSet();
        boolean wellFormed = XmlScanner.scan(body, found);
        String text = new String(input, StandardCharsets.ISO_8859_1);
        Document doc;
        try {
            doc = DOM.get().parse(new InputSource(new StringReader(text)));
        } catch (SAXException | IOException e) {
            return;
        }
        assertThat(wellFormed).as("DOM reads %s", text).isTrue();
        AccountSet expected = new AccountSet();
        walk(doc.getDocumentElement(), expected);
        if (!found.overflow() && !expected.overflow()) {
            assertThat(found.toList()).as("accounts in %s", text).containsAll(expected.toList());
        }
    }

    private static void walk(Element e, AccountSet out) {
        boolean leaf = true;
        // Mixed content: each run of text between two tags, joined across comments and PIs.
        StringBuilder run = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                leaf = false;
                ArnScanner.scan(run.toString().strip(), out);
                run.setLength(0);
                walk(child, out);
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                run.append(n.getNodeValue());
            }
        }
        if (!leaf) {
            ArnScanner.scan(run.toString().strip(), out);
        }
        if (leaf) {
            String value = e.getTextContent().strip();
            String name = e.getLocalName();
            ArnScanner.scan(value, out);
            if ((FieldKinds.of(name) & FieldKinds.ACCOUNT) != 0) {
                out.addIfAccount(value, 0, value.length());
            }
            if (name.equals("URI") && ResourceAccountScanner.publicGrantee(value)) {
                out.add(AccountSet.EVERYONE);
            }
        }
    }
}
