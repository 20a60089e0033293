package io.sekisho.policy.aws.credentials;

import static io.sekisho.policy.aws.wire.AwsWireFacts.SIGV4A_ALGORITHM;
import static io.sekisho.policy.aws.wire.AwsWireFacts.SIGV4_ALGORITHM;

import io.sekisho.policy.aws.wire.Text;

/**
 * {@code Authorization: AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=…, Signature=…}
 * and its SigV4a form {@code AWS4-ECDSA-P256-SHA256} (§1.1, §1.3). The parameter list tolerates
 * missing or extra whitespace; every {@code Credential} counts (two different keys conflict).
 */
final class SigV4Header implements AuthorizationScheme {
    private final boolean v4a;

    SigV4Header(boolean v4a) {
        this.v4a = v4a;
    }

    @Override
    public String prefix() {
        return v4a ? SIGV4A_ALGORITHM : SIGV4_ALGORITHM;
    }

    @Override
    public void read(String v, int from, int to, CredentialCollector c) {
        String location = AuthorizationHeader.LOCATION;
        SigningForm form = v4a ? SigningForm.SIGV4A_HEADER : SigningForm.SIGV4_HEADER;
        int found = 0;
        int i = from;
        while (i < to) {
            i = skipSeparators(v, i, to);
            int nameEnd = i;
            while (nameEnd < to && isNameChar(v.charAt(nameEnd))) {
                nameEnd++;
            }
            int j = Text.skipSpaces(v, nameEnd, to);
            if (nameEnd == i || j >= to || v.charAt(j) != '=') {
                i = nameEnd == i ? i + 1 : nameEnd;
                continue;
            }
            int vs = Text.skipSpaces(v, j + 1, to);
            int ve = valueEnd(v, vs, to);
            if (Text.equalsIgnoreCase(v, i, nameEnd, "Credential")) {
                found++;
                CredentialScope.read(v, vs, ve, v4a, form, location, c);
            }
            i = ve;
        }
        if (found == 0) {
            c.malformed(form, location);
        }
    }

    /** The end of a parameter value: the next ',' or whitespace (String.indexOf is vectorised). */
    private static int valueEnd(String v, int from, int to) {
        return Math.min(before(v, ',', from, to), Math.min(before(v, ' ', from, to), before(v, '\t', from, to)));
    }

    private static int before(String v, char c, int from, int to) {
        int i = v.indexOf(c, from);
        return i < 0 || i > to ? to : i;
    }

    private static int skipSeparators(String v, int i, int to) {
        while (i < to && (v.charAt(i) == ',' || Text.isSpace(v.charAt(i)))) {
            i++;
        }
        return i;
    }

    private static boolean isNameChar(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-';
    }
}
