package io.sekisho.policy.aws.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target (docs/fuzzing.md): {@link JsonScanner} against Jackson's streaming parser. The
 * reference walks Jackson's tokens (every value, duplicate keys included) with the scanner's
 * documented rules: strings outside data keys are searched for ARNs, twelve-digit strings and
 * numbers under account keys are accounts, public-share and queue-URL keys count, and a string
 * holding a document is read too. On a body both accept, the accounts found must be the same;
 * a body Jackson accepts must not be called malformed; nothing may throw.
 */
class JsonScannerFuzzTest {
    private static final JsonFactory JACKSON = JsonFactory.builder().build();

    /** The reference met something whose outcome it cannot predict (a partial embedded document). */
    private static final class Undecided extends Exception {
        Undecided() {
            super(null, null, false, false);
        }
    }

    @FuzzTest
    void scan(byte[] input) {
        CharSequence body = Text.latin1(ByteBuffer.wrap(input));
        AccountSet found = new AccountSet();
        boolean wellFormed = JsonScanner.scan(body, 0, body.length(), found);
        String text = new String(input, StandardCharsets.ISO_8859_1);
        AccountSet expected = new AccountSet();
        try {
            if (!document(text, 0, expected)) {
                return; // Jackson refuses it; the scanner may be more lenient (AWS refuses it then)
            }
        } catch (Undecided e) {
            return;
        }
        assertThat(wellFormed).as("Jackson reads %s", text).isTrue();
        assertThat(found.overflow()).as("overflow on %s", text).isEqualTo(expected.overflow());
        if (!expected.overflow()) {
            assertThat(found.toList()).as("accounts in %s", text).isEqualTo(expected.toList());
        }
    }

    /** Reads one document; false when Jackson refuses it. Blank text is an empty body, which is fine. */
    private static boolean document(String text, int level, AccountSet out) throws Undecided {
        if (text.isBlank()) {
            return text.chars().allMatch(c -> Text.isSpace((char) c));
        }
        AccountSet mine = new AccountSet();
        try (JsonParser p = JACKSON.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return false;
            }
            value(p, t, 0, 0, level, mine);
            if (p.nextToken() != null) {
                return false;
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        out.addAll(mine);
        return true;
    }

    private static void value(JsonParser p, JsonToken t, int flags, int depth, int level, AccountSet out)
            throws IOException, Undecided {
        if (depth > AwsWireFacts.MAX_JSON_DEPTH) {
            throw new Undecided();
        }
        switch (t) {
            case START_OBJECT -> {
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    int kinds = FieldKinds.of(key, 0, key.length());
                    int child = (flags & FieldKinds.SKIP) != 0 || (kinds & FieldKinds.SKIP) != 0 ? FieldKinds.SKIP : kinds;
                    value(p, p.nextToken(), child, depth + 1, level, out);
                }
            }
            case START_ARRAY -> {
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    value(p, e, flags, depth + 1, level, out);
                }
            }
            case VALUE_STRING -> {
                if ((flags & FieldKinds.SKIP) == 0) {
                    text(p.getText(), flags, level, out);
                }
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                String n = p.getText();
                if ((flags & (FieldKinds.ACCOUNT | FieldKinds.SKIP)) == FieldKinds.ACCOUNT && Character.isDigit(n.charAt(0))) {
                    out.addIfAccount(n, 0, n.length());
                }
            }
            default -> {
                // true, false, null
            }
        }
    }

    private static void text(String t, int flags, int level, AccountSet out) throws Undecided {
        ArnScanner.scan(t, 0, t.length(), out);
        if ((flags & FieldKinds.ACCOUNT) != 0) {
            out.addIfAccount(t, 0, t.length());
        }
        if ((flags & FieldKinds.PUBLIC) != 0 && t.equalsIgnoreCase(AwsWireFacts.PUBLIC_SHARE_VALUE)) {
            out.add(AccountSet.EVERYONE);
        }
        if ((flags & FieldKinds.QUEUE) != 0) {
            ResourceAccountScanner.queueUrl(t, 0, t.length(), out);
        }
        int first = Text.skipSpaces(t, 0, t.length());
        if (level < AwsWireFacts.MAX_EMBEDDED_DOCUMENTS && first < t.length()
                && (t.charAt(first) == '{' || t.charAt(first) == '[')
                && !document(t.substring(first), level + 1, out)) {
            // The scanner keeps what it found before the document broke; Jackson keeps nothing.
            throw new Undecided();
        }
    }
}
