package io.sekisho.policy.aws.credentials;

/** {@code Authorization: Basic …}: a credential that names no key (§1.13). */
final class BasicAuthorization implements AuthorizationScheme {
    @Override
    public String prefix() {
        return "Basic ";
    }

    @Override
    public void read(String value, int from, int to, CredentialCollector c) {
        c.opaque(SigningForm.BASIC, AuthorizationHeader.LOCATION);
    }
}
