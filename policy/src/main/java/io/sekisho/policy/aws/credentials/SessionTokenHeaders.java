package io.sekisho.policy.aws.credentials;

/**
 * {@code X-Amz-Security-Token} and {@code x-amz-s3session-token} (§1.5): the key is temporary.
 * They name no key of their own.
 */
final class SessionTokenHeaders implements CredentialCarrier {
    @Override
    public Reads reads() {
        return Reads.HEAD;
    }

    @Override
    public void read(CarrierInput in, CredentialCollector c) {
        c.sessionToken |= in.headers().sessionToken;
    }
}
