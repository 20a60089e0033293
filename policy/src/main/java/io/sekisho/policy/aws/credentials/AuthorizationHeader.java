package io.sekisho.policy.aws.credentials;

import io.sekisho.policy.aws.request.AwsHeaders;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;
import java.util.List;

/**
 * The {@code Authorization} header, every value of it, each read by the scheme it starts with
 * (SigV4, SigV4a, SigV2, Bearer, Basic); then SigV4a's {@code X-Amz-Region-Set}, which stands
 * in for the region its scope lacks (§1.3). No other scheme reaches an AWS API: an unknown one
 * is malformed, not something to guess at.
 */
final class AuthorizationHeader implements CredentialCarrier {
    static final String LOCATION = "header:" + AwsWireFacts.AUTHORIZATION;
    /** The schemes, in the order they are tried. A new scheme is one class and one line here. */
    private static final List<AuthorizationScheme> SCHEMES = List.of(
            new SigV4Header(true), new SigV4Header(false), new SigV2Header(), new BearerTokens(),
            new BasicAuthorization());

    @Override
    public Reads reads() {
        return Reads.HEAD;
    }

    @Override
    public void read(CarrierInput in, CredentialCollector c) {
        AwsHeaders h = in.headers();
        for (int i = 0; i < h.authorization.size(); i++) {
            value(h.authorization.get(i), c);
        }
        if (h.regionSet != null && c.form() == SigningForm.SIGV4A_HEADER) {
            c.regionSet(h.regionSet.strip()); // SigV4a scopes have no region (§1.3)
        }
    }

    private static void value(String value, CredentialCollector c) {
        int n = value.length();
        int i = Text.skipSpaces(value, 0, n);
        for (int s = 0; s < SCHEMES.size(); s++) {
            AuthorizationScheme scheme = SCHEMES.get(s);
            String prefix = scheme.prefix();
            if (Text.startsWithIgnoreCase(value, i, n, prefix)) {
                scheme.read(value, i + prefix.length(), n, c);
                return;
            }
        }
        c.malformed(SigningForm.SIGV4_HEADER, LOCATION);
    }
}
