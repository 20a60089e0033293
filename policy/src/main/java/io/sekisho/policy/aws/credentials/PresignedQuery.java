package io.sekisho.policy.aws.credentials;

import io.sekisho.policy.aws.wire.Params;

/** The query of a presigned URL (§1.2, §1.3): {@code X-Amz-Credential} or SigV2's {@code AWSAccessKeyId}. */
final class PresignedQuery implements CredentialCarrier {
    @Override
    public Reads reads() {
        return Reads.HEAD;
    }

    @Override
    public void read(CarrierInput in, CredentialCollector c) {
        if (!in.facts().query().isEmpty()) {
            Presigned.readAll(Params.of(in.facts().query()), Where.QUERY, SigningForm.SIGV4_QUERY,
                    SigningForm.SIGV2_QUERY, c);
        }
    }
}
