package io.sekisho.policy.aws.credentials;

import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;

/**
 * A credential scope {@code AKID/date/region/service/aws4_request} (SigV4a: without the
 * region, the region set travels in {@code X-Amz-Region-Set}), as the SigV4 header, presigned
 * parameters and S3 POST forms carry it.
 */
final class CredentialScope {
    private CredentialScope() {
    }

    static void read(CharSequence s, int from, int to, boolean v4a, SigningForm form, String location,
            CredentialCollector c) {
        int parts = v4a ? 4 : 5;
        int[] slash = new int[parts - 1];
        int found = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '/') {
                if (found == slash.length) {
                    c.malformed(form, location);
                    return;
                }
                slash[found++] = i;
            }
        }
        if (found != slash.length || slash[0] == from
                || !Text.equals(s, slash[slash.length - 1] + 1, to, AwsWireFacts.SCOPE_TERMINATOR)
                || !isDate(s, slash[0] + 1, slash[1])) {
            c.malformed(form, location);
            return;
        }
        String key = Text.slice(s, from, slash[0]);
        String region = v4a ? "" : Text.slice(s, slash[1] + 1, slash[2]);
        int svcFrom = v4a ? slash[1] + 1 : slash[2] + 1;
        String service = Text.slice(s, svcFrom, slash[slash.length - 1]);
        c.key(form, key, service, region, location);
    }

    private static boolean isDate(CharSequence s, int from, int to) {
        if (to - from != 8) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!Text.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
