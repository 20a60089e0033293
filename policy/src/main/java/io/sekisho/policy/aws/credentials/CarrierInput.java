package io.sekisho.policy.aws.credentials;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.request.AwsHeaders;
import io.sekisho.policy.aws.request.PostForm;
import io.sekisho.policy.aws.request.QueryForm;

/**
 * What the carriers of one request read, parsed once for all of them.
 *
 * @param facts the request
 * @param headers its headers, collected in one pass
 * @param body the body as text when the caller supplied it (only {@link CredentialCarrier.Reads#BODY}
 *     carriers read it, and only then run)
 * @param form the S3 POST form already parsed from {@code body}, or null
 * @param queryForm the Query-protocol form of {@code body} whose single pass the form carrier
 *     runs (it keeps the resource accounts and Action for the other readers), or null
 */
public record CarrierInput(RequestFacts facts, AwsHeaders headers, @Nullable CharSequence body,
        @Nullable PostForm form, @Nullable QueryForm queryForm) {
}
