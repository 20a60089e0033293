package io.sekisho.policy.signin;

import io.sekisho.policy.aws.wire.JsonDocument;
import io.sekisho.policy.Rejection;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sekisho.policy.Reason;
import io.sekisho.policy.aws.request.QueryParamsFuzzTest;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fuzz target (docs/fuzzing.md): the sign-in side's readers of request text, both on the same
 * input (a sign-in body is a form or a JSON document). {@link JsonDocument} against Jackson with
 * duplicate detection on: a document one accepts the other must accept (within JsonDocument's
 * depth bound), with the same tree; {@link Params#parseForm} against '&'/'=' splitting, strict
 * RFC 3986 escapes and {@link URLDecoder}. Only a {@link Rejection} may escape either.
 */
class SigninFormsFuzzTest {
    private static final ObjectMapper JACKSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    /**
     * A backslash-u escape not followed by four ASCII hex digits. The backslash must end a run of
     * odd length: after an even run (escaped backslashes) the u is text.
     */
    private static final Pattern NOT_HEX_ESCAPE = Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\u(?![0-9A-Fa-f]{4})");

    @FuzzTest
    void read(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        json(text);
        form(input);
    }

    private static void json(String text) {
        Object mine;
        try {
            mine = JsonDocument.parse(text, Reason.BODY_MALFORMED);
        } catch (Rejection r) {
            mine = r;
        }
        JsonNode theirs;
        try {
            theirs = JACKSON.readTree(text);
        } catch (StreamConstraintsException e) {
            return; // Jackson's own size limits, not the grammar
        } catch (JsonProcessingException | NumberFormatException e) {
            theirs = null; // Jackson throws the latter for a number BigDecimal cannot hold (1e9999999999)
        }
        if (NOT_HEX_ESCAPE.matcher(text).find()) {
            // Jackson reads the four characters after \\u through a table indexed by (c & 0xff), so
            // it reads a 006 followed by U+0363 as 'l': no reference there. JsonDocument must still refuse it.
            assertThat(mine).as("a \\u escape without four hex digits in %s", text).isInstanceOf(Rejection.class);
            return;
        }
        if (theirs != null && theirs.isMissingNode()) {
            theirs = null;
        }
        if (theirs != null && depth(theirs) > JsonDocument.MAX_DEPTH) {
            return;
        }
        if (theirs == null) {
            assertThat(mine).as("Jackson refuses %s", text).isInstanceOf(Rejection.class);
        } else {
            assertThat(mine).as("Jackson reads %s", text).isNotInstanceOf(Rejection.class);
            assertThat(same(mine, theirs)).as("%s read as %s, Jackson %s", text, mine, theirs).isTrue();
        }
    }

    private static int depth(JsonNode n) {
        int d = 0;
        for (JsonNode child : n) {
            d = Math.max(d, depth(child));
        }
        return n.isContainerNode() ? d + 1 : 0;
    }

    private static boolean same(Object mine, JsonNode theirs) {
        if (theirs.isObject()) {
            if (!(mine instanceof Map<?, ?> m) || m.size() != theirs.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = theirs.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!m.containsKey(e.getKey()) || !same(m.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (theirs.isArray()) {
            if (!(mine instanceof List<?> l) || l.size() != theirs.size()) {
                return false;
            }
            for (int i = 0; i < l.size(); i++) {
                if (!same(l.get(i), theirs.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (theirs.isTextual()) {
            return theirs.textValue().equals(mine);
        }
        if (theirs.isNumber()) {
            return mine instanceof BigDecimal b && b.compareTo(theirs.decimalValue()) == 0;
        }
        if (theirs.isBoolean()) {
            return Boolean.valueOf(theirs.booleanValue()).equals(mine);
        }
        return theirs.isNull() && mine == JsonDocument.NULL;
    }

    /** A form comes as bytes, one char each, like the request line's query (see SigninRequest.bytes). */
    private static void form(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        List<String[]> expected = new ArrayList<>();
        boolean bad = false;
        for (String[] pair : QueryParamsFuzzTest.reference(input)) {
            bad |= pair[0] == null || pair[1] == null;
            if (!bad) {
                expected.add(pair);
            }
        }
        Params p;
        try {
            p = Params.parseForm(text, Reason.BODY_MALFORMED);
        } catch (Rejection r) {
            assertThat(bad).as("refused %s: %s", text, r.getMessage()).isTrue();
            return;
        }
        assertThat(bad).as("accepted %s, which holds a bad escape", text).isFalse();
        for (String[] pair : expected) {
            List<String> values = new ArrayList<>();
            for (String[] q : expected) {
                if (q[0].equalsIgnoreCase(pair[0])) {
                    values.add(q[1]);
                }
            }
            assertThat(p.all(pair[0])).as("values of %s in %s", pair[0], text).isEqualTo(values);
        }
        Params.parseFormLenient(text);
    }
}
