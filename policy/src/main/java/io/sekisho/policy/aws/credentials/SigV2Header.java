package io.sekisho.policy.aws.credentials;

import io.sekisho.policy.aws.wire.Text;

/** {@code Authorization: AWS AKID:signature}, SigV2 as S3 still accepts it (§1.6). */
final class SigV2Header implements AuthorizationScheme {
    @Override
    public String prefix() {
        return "AWS ";
    }

    @Override
    public void read(String v, int from, int to, CredentialCollector c) {
        String location = AuthorizationHeader.LOCATION;
        int start = Text.skipSpaces(v, from, to);
        int colon = Text.indexOf(v, ':', start, to);
        if (colon < 0) {
            c.malformed(SigningForm.SIGV2_HEADER, location);
            return;
        }
        c.key(SigningForm.SIGV2_HEADER, v.substring(start, Text.trimEnd(v, start, colon)), "", "", location);
    }
}
