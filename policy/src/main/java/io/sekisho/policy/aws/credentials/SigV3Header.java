package io.sekisho.policy.aws.credentials;

import io.sekisho.policy.aws.request.AwsHeaders;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;

/** {@code X-Amzn-Authorization: AWS3-HTTPS AWSAccessKeyId=…,Algorithm=…,Signature=…} (§1.6). */
final class SigV3Header implements CredentialCarrier {
    private static final String LOCATION = "header:" + AwsWireFacts.SIGV3_HEADER;

    @Override
    public Reads reads() {
        return Reads.HEAD;
    }

    @Override
    public void read(CarrierInput in, CredentialCollector c) {
        AwsHeaders h = in.headers();
        if (h.sigv3 != null) {
            value(h.sigv3, c);
        }
    }

    private static void value(String v, CredentialCollector c) {
        int n = v.length();
        int at = Text.indexOfIgnoreCase(v, "AWSAccessKeyId", 0, n);
        if (!Text.startsWithIgnoreCase(v, Text.skipSpaces(v, 0, n), n, "AWS3") || at < 0) {
            c.malformed(SigningForm.SIGV3_HEADER, LOCATION);
            return;
        }
        int eq = Text.skipSpaces(v, at + "AWSAccessKeyId".length(), n);
        if (eq >= n || v.charAt(eq) != '=') {
            c.malformed(SigningForm.SIGV3_HEADER, LOCATION);
            return;
        }
        int vs = Text.skipSpaces(v, eq + 1, n);
        int ve = vs;
        while (ve < n && v.charAt(ve) != ',' && !Text.isSpace(v.charAt(ve))) {
            ve++;
        }
        c.key(SigningForm.SIGV3_HEADER, v.substring(vs, ve), "", "", LOCATION);
    }
}
