package io.sekisho.policy.aws.credentials;

import io.sekisho.policy.aws.wire.AwsWireFacts;

/** Identity Center's portal API (§3.4): {@code x-amz-sso_bearer_token}, a bearer token that names no key. */
final class SsoBearerHeader implements CredentialCarrier {
    private static final String LOCATION = "header:" + AwsWireFacts.SSO_BEARER_HEADER;

    @Override
    public Reads reads() {
        return Reads.HEAD;
    }

    @Override
    public void read(CarrierInput in, CredentialCollector c) {
        if (in.headers().ssoBearer) {
            c.opaque(SigningForm.BEARER, LOCATION);
        }
    }
}
