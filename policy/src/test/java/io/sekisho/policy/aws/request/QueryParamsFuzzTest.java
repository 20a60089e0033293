package io.sekisho.policy.aws.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sekisho.policy.aws.credentials.CredentialCollector;
import io.sekisho.policy.aws.credentials.Presigned;
import io.sekisho.policy.aws.credentials.SigningForm;
import io.sekisho.policy.aws.credentials.Where;
import io.sekisho.policy.aws.resources.AccountSet;
import io.sekisho.policy.aws.resources.FormAccounts;
import io.sekisho.policy.aws.wire.Params;
import io.sekisho.policy.aws.wire.Text;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fuzz target (docs/fuzzing.md): query strings and form bodies as the AWS inspector reads them
 * ({@link Params} over the body's bytes, {@link QueryForm}'s one pass), against a plain
 * reference: split on '&', then on the first '=', then {@link URLDecoder} (UTF-8, '+' as space)
 * after checking that every '%' starts an RFC 3986 escape (URLDecoder itself takes "%+1").
 * Every name and value must decode alike, a bad escape must be a bad escape for both, and the
 * Action QueryForm reports must be the reference's first "Action".
 */
public class QueryParamsFuzzTest {
    private static final String HEX = "0123456789ABCDEF";
    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    @FuzzTest
    void params(byte[] input) {
        CharSequence text = Text.latin1(ByteBuffer.wrap(input));
        List<String[]> expected = reference(input);
        List<String[]> actual = new ArrayList<>();
        Params p = Params.of(text);
        while (p.next()) {
            assertThat(p.nameMalformed()).isEqualTo(p.name() == null);
            actual.add(new String[] {p.name(), p.value()});
        }
        if (actual.size() != expected.size() || !equalPairs(actual, expected)) {
            assertThat(actual).as("pairs of %s", text).containsExactlyElementsOf(expected);
        }

        QueryForm form = new QueryForm(text);
        form.read(new Presigned(Where.BODY_FORM, SigningForm.SIGV4_QUERY, SigningForm.SIGV2_QUERY,
                new CredentialCollector(true)));
        String action = null;
        for (String[] pair : expected) {
            if ("Action".equals(pair[0])) {
                action = pair[1];
                break;
            }
        }
        assertThat(form.action()).as("Action of %s", text).isEqualTo(action);
        FormAccounts.tapping(form).into(new AccountSet());
    }

    private static boolean equalPairs(List<String[]> a, List<String[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** [decoded name, decoded value] per non-empty segment; null for a part with a bad escape. */
    public static List<String[]> reference(byte[] input) {
        StringBuilder escaped = new StringBuilder();
        for (byte b : input) {
            // A raw non-ASCII byte stands for itself, as its escape would.
            if (b >= 0) {
                escaped.append((char) b);
            } else {
                escaped.append('%').append(HEX.charAt((b >> 4) & 0xf)).append(HEX.charAt(b & 0xf));
            }
        }
        List<String[]> out = new ArrayList<>();
        for (String segment : escaped.toString().split("&", -1)) {
            if (segment.isEmpty()) {
                continue;
            }
            int eq = segment.indexOf('=');
            out.add(new String[] {
                decode(eq < 0 ? segment : segment.substring(0, eq)),
                decode(eq < 0 ? "" : segment.substring(eq + 1))});
        }
        return out;
    }

    static String decode(String s) {
        if (BAD_ESCAPE.matcher(s).find()) {
            return null;
        }
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
