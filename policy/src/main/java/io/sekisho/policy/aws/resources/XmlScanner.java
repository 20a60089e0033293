package io.sekisho.policy.aws.resources;

import io.sekisho.policy.Nullable;
import java.io.StringReader;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads an S3 bucket configuration document (replication, inventory, analytics, logging, ACL…)
 * for resource accounts: ARNs in any text, twelve-digit text of account-naming elements such
 * as {@code <Account>} (replication destination) and {@code <AccountId>} (inventory and
 * analytics destinations), and grants to the AllUsers / AuthenticatedUsers groups ("*"). JDK
 * StAX with DTDs and external entities off: a request body must never make the proxy fetch or
 * expand anything (XXE).
 */
final class XmlScanner {
    /** StAX factories are not promised to be thread-safe: one per thread (this path is rare). */
    private static final ThreadLocal<XMLInputFactory> FACTORY = ThreadLocal.withInitial(XmlScanner::factory);

    private XmlScanner() {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** Scans the document; false when it is not well-formed XML. */
    static boolean scan(CharSequence body, AccountSet out) {
        XMLStreamReader r = null;
        try {
            r = FACTORY.get().createXMLStreamReader(new StringReader(body.toString()));
            String element = "";
            // An element's text is joined across comments and processing instructions before it
            // is read: a parser reading <Account>9999<!---->88887777</Account> takes the value
            // 999988887777, so the pieces must not be judged one by one.
            StringBuilder text = new StringBuilder();
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    text(element, text, out);
                    element = r.getLocalName();
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    text.append(r.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    text(element, text, out);
                    element = "";
                } else if (event == XMLStreamConstants.DTD) {
                    return false; // S3 documents never carry a DTD
                }
            }
            return true;
        } catch (XMLStreamException | RuntimeException e) {
            return false;
        } finally {
            close(r);
        }
    }

    /** Reads the text gathered in {@code element} (or between elements when ""), then clears it. */
    private static void text(String element, StringBuilder gathered, AccountSet out) {
        if (gathered.length() == 0) {
            return;
        }
        String text = gathered.toString().strip();
        gathered.setLength(0);
        ArnScanner.scan(text, out);
        if ((FieldKinds.of(element) & FieldKinds.ACCOUNT) != 0) {
            out.addIfAccount(text, 0, text.length());
        }
        if (element.equals("URI") && ResourceAccountScanner.publicGrantee(text)) {
            out.add(AccountSet.EVERYONE); // an ACL grant to AllUsers / AuthenticatedUsers
        }
    }

    private static void close(@Nullable XMLStreamReader r) {
        if (r != null) {
            try {
                r.close();
            } catch (XMLStreamException ignored) {
                // nothing is held open: the input is a string
            }
        }
    }
}
