package io.sekisho.policy.aws;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Params;
import java.util.List;

/**
 * {@code aws.sts.assumeRole.mfaRequired} (issue 15 point 8a), the proxy's copy of the IAM
 * condition {@code aws:MultiFactorAuthPresent} on a role's trust policy: an AssumeRole of a
 * listed role must carry {@code SerialNumber} and {@code TokenCode}. The parameters are read
 * from the query string and the form body together, as STS reads them.
 *
 * <p>What is read, on the safe side each time: {@code Action} and {@code RoleArn} are
 * recognised whatever their case and every value counts (a duplicate {@code RoleArn} is checked
 * for each value; any {@code Action=AssumeRole} makes the call one); an undecodable
 * {@code RoleArn} counts as listed. {@code SerialNumber} and {@code TokenCode} count only when
 * spelled as STS spells them, with a non-empty value: the proxy must not see an MFA that STS
 * would not.
 */
final class AssumeRoleMfa {
    static final String RULE = "aws.sts.assumeRole.mfaRequired";

    private final BucketGlobs roles;

    AssumeRoleMfa(List<String> roleGlobs) {
        this.roles = new BucketGlobs(roleGlobs);
    }

    boolean isEmpty() {
        return roles.isEmpty();
    }

    /** The deny reason for the parameters of one STS call (query, then form body), or null. */
    @Nullable Reason judge(CharSequence query, @Nullable CharSequence form) {
        Found f = new Found();
        f.read(query);
        if (form != null) {
            f.read(form);
        }
        if (!f.assumeRole || !f.listedRole || (f.serial && f.token)) {
            return null;
        }
        return Reason.AWS_MFA_REQUIRED;
    }

    private final class Found {
        boolean assumeRole;
        boolean listedRole;
        boolean serial;
        boolean token;

        void read(CharSequence params) {
            if (params.length() == 0) {
                return;
            }
            Params p = Params.of(params);
            while (p.next()) {
                String value = p.value();
                if (p.nameIs("Action")) {
                    assumeRole |= "AssumeRole".equalsIgnoreCase(value);
                } else if (p.nameIs("RoleArn")) {
                    listedRole |= value == null || roles.match(value.strip()) != null;
                } else if (p.nameEquals(AwsWireFacts.STS_SERIAL_NUMBER)) {
                    serial |= value != null && !value.isBlank();
                } else if (p.nameEquals(AwsWireFacts.STS_TOKEN_CODE)) {
                    token |= value != null && !value.isBlank();
                }
            }
        }
    }
}
