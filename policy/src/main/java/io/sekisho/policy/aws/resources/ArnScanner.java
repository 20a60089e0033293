package io.sekisho.policy.aws.resources;

import io.sekisho.policy.aws.credentials.AccessKeys;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;

/**
 * Finds the account of every ARN in a slice of text:
 * {@code arn:<partition>:<service>:<region>:<12 digits>:…} (aws-wire-facts §5). ARNs without an
 * account (S3 buckets {@code arn:aws:s3:::b}) or owned by AWS ({@code arn:aws:iam::aws:policy/…})
 * name no account. The text must already be decoded (percent, JSON or XML escapes): the
 * callers do that, because AWS decodes before it reads an ARN.
 */
final class ArnScanner {
    private static final NameSet PARTITIONS = new NameSet(AwsWireFacts.ARN_PARTITIONS);

    private ArnScanner() {
    }

    static void scan(CharSequence s, int from, int to, AccountSet out) {
        int i = from;
        while (i + 4 <= to) {
            int at = indexOfArn(s, i, to);
            if (at < 0) {
                return;
            }
            i = at + 4;
            int partitionEnd = Text.indexOf(s, ':', i, Math.min(to, i + 12));
            if (partitionEnd < 0 || !PARTITIONS.contains(s, i, partitionEnd)) {
                continue;
            }
            int serviceEnd = field(s, partitionEnd + 1, to);
            int regionEnd = serviceEnd < 0 ? -1 : field(s, serviceEnd + 1, to);
            if (regionEnd < 0) {
                continue;
            }
            int acct = regionEnd + 1;
            if (acct + 12 <= to && AccessKeys.isAccountId(s, acct, acct + 12)
                    && (acct + 12 == to || !Text.isDigit(s.charAt(acct + 12)))) {
                out.add(s, acct, acct + 12);
                i = acct + 12;
            }
        }
    }

    static void scan(CharSequence s, AccountSet out) {
        scan(s, 0, s.length(), out);
    }

    /** The index of the ':' ending a service or region field ([a-z0-9-]*, or a policy wildcard), or -1. */
    private static int field(CharSequence s, int from, int to) {
        int limit = Math.min(to, from + 64);
        for (int i = from; i < limit; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '*' || c == '?')) {
                return -1;
            }
        }
        return -1;
    }

    private static int indexOfArn(CharSequence s, int from, int to) {
        for (int i = from; i + 4 <= to; i++) {
            if (s.charAt(i) == 'a' && s.charAt(i + 1) == 'r' && s.charAt(i + 2) == 'n' && s.charAt(i + 3) == ':') {
                return i;
            }
        }
        return -1;
    }
}
