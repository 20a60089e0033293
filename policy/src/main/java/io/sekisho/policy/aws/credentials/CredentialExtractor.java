package io.sekisho.policy.aws.credentials;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.request.AwsHeaders;
import io.sekisho.policy.aws.request.PostForm;
import io.sekisho.policy.aws.request.QueryForm;
import io.sekisho.policy.aws.wire.Text;
import java.util.List;

/**
 * Finds the access key ID in every carrier of aws-wire-facts §1, in the order of §1.13: each
 * carrier is one {@link CredentialCarrier}, and {@link #CARRIERS} lists them. Header and
 * parameter names are matched ignoring case.
 *
 * <p>Two different key IDs anywhere in one request are a {@code CONFLICT}: the proxy cannot
 * know which one AWS will honour. A credential that is present but unparsable, or whose key ID
 * is not a key ID, is {@code MALFORMED}. Stateless and thread-safe.
 */
public final class CredentialExtractor {
    /**
     * Every carrier, in the order of aws-wire-facts §1.13: the {@code Authorization} header
     * (SigV4, SigV4a, SigV2, Bearer, Basic), the SigV3 {@code X-Amzn-Authorization} header,
     * Identity Center's {@code x-amz-sso_bearer_token}, the session token headers, the query
     * (presigned SigV4/SigV4a, SigV2 {@code AWSAccessKeyId}), then the body when the caller
     * supplied it (Query-API form bodies, S3 POST forms up to the file part). A new carrier is
     * one class and one line here.
     */
    static final List<CredentialCarrier> CARRIERS = List.of(
            new AuthorizationHeader(),
            new SigV3Header(),
            new SsoBearerHeader(),
            new SessionTokenHeaders(),
            new PresignedQuery(),
            new QueryFormBody(),
            new PostFormBody());

    /** The credential of {@code facts}; reads {@code facts.body()} when present. */
    public ExtractedCredential extract(RequestFacts facts) {
        return extract(facts, AwsHeaders.of(facts.headers()), facts.body() == null ? null : Text.latin1(facts.body()));
    }

    public ExtractedCredential extract(RequestFacts facts, AwsHeaders h, @Nullable CharSequence body) {
        return extract(facts, h, body, null, null);
    }

    /**
     * As above; {@code form} is the POST form already parsed from {@code body}, or null;
     * {@code queryForm} is the Query-protocol form of {@code body} whose single pass this
     * extraction runs (it keeps the resource accounts and Action for the other readers), or null.
     */
    public ExtractedCredential extract(RequestFacts facts, AwsHeaders h, @Nullable CharSequence body,
            @Nullable PostForm form, @Nullable QueryForm queryForm) {
        CredentialCollector c = new CredentialCollector(facts.bodyComplete());
        CarrierInput in = new CarrierInput(facts, h, body, form, queryForm);
        for (int i = 0; i < CARRIERS.size(); i++) {
            CredentialCarrier carrier = CARRIERS.get(i);
            if (body != null || carrier.reads() == CredentialCarrier.Reads.HEAD) {
                carrier.read(in, c);
            }
        }
        return c.result();
    }
}
