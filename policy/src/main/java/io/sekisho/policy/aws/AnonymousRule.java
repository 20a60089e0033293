package io.sekisho.policy.aws;

import io.sekisho.policy.HostClass;
import io.sekisho.policy.ReadOnly;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.aws.request.AwsCall;
import io.sekisho.policy.aws.resources.ResourceScan;
import io.sekisho.policy.aws.wire.AwsWireFacts;

/**
 * A request with no credential at all (§1.10). Reads outside S3 and CORS preflights carry
 * nothing out; S3 reads need an {@code aws.s3.anonymousRead} bucket; writes are denied unless
 * they are the unsigned STS or Cognito Identity calls, whose named accounts are then checked.
 */
final class AnonymousRule {
    private final BucketGlobs anonymousRead;

    AnonymousRule(BucketGlobs anonymousRead) {
        this.anonymousRead = anonymousRead;
    }

    /** Returns to go on with the account checks; rejects what an unsigned request may not do. */
    void check(AwsCall call, ResourceScan scan) throws Rejection {
        if (call.host.hostClass() == HostClass.AWS_UNKNOWN) {
            // Nothing names the owner of an uncatalogued name: only a read goes (issue 15 point 7).
            if (!ReadOnly.isRead(call.facts())) {
                throw new Rejection(Reason.AWS_UNKNOWN_HOST_UNREADABLE, "unsigned write to an uncatalogued AWS name");
            }
            return;
        }
        if (call.isRead()) {
            if (call.s3 == null || call.facts().method().equals("OPTIONS")) {
                return;
            }
            String bucket = scan.bucket();
            if (bucket.isEmpty() || anonymousRead.match(bucket) == null) {
                throw new Rejection(Reason.AWS_ANONYMOUS_READ_NOT_ALLOWED, AwsApiInspector.RULE_ANONYMOUS_READ,
                        "bucket not readable");
            }
            return;
        }
        String action = call.actionParam();
        if (action != null && AwsWireFacts.UNSIGNED_STS_ACTIONS.contains(action)
                && call.host.service().equals("sts")) {
            // The role's account is the whole point of these calls: no RoleArn, no allow.
            if (scan.accounts().isEmpty()) {
                throw new Rejection(Reason.AWS_ANONYMOUS_WRITE, "unsigned STS call names no role");
            }
            return;
        }
        String target = call.target();
        if (target == null || !AwsWireFacts.UNSIGNED_COGNITO_IDENTITY_TARGETS.contains(target.strip())) {
            throw new Rejection(Reason.AWS_ANONYMOUS_WRITE, "unsigned write");
        }
    }
}
