package io.sekisho.policy.aws;

import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.Verdict;
import io.sekisho.policy.aws.catalog.HostMatch;
import io.sekisho.policy.aws.credentials.AccessKeys;
import io.sekisho.policy.aws.credentials.ExtractedCredential;
import io.sekisho.policy.aws.request.AwsCall;

/** How {@link AwsApiInspector} words its decisions: the reason for a credential problem, the evidence, the verdict. */
final class AwsDecisions {
    private AwsDecisions() {
    }

    /** Returns when the credential was read cleanly; otherwise rejects with its problem's reason. */
    static void check(ExtractedCredential.Problem p) throws Rejection {
        switch (p) {
            case CONFLICT:
                throw new Rejection(Reason.AWS_CREDENTIAL_CONFLICT, "credentials conflict");
            case MALFORMED:
                throw new Rejection(Reason.AWS_CREDENTIAL_MALFORMED, "credential malformed");
            case BODY_INCOMPLETE:
                throw new Rejection(Reason.BODY_TOO_LARGE_TO_INSPECT, "credential beyond the body read");
            case BODY_MALFORMED:
                throw new Rejection(Reason.BODY_MALFORMED, "credential body malformed");
            default:
                return;
        }
    }

    static String service(ExtractedCredential cred, HostMatch host) {
        return cred.service().isEmpty() ? host.service() : cred.service();
    }

    static Evidence.Builder evidence(AwsCall call, ExtractedCredential cred, String principal) {
        String service = service(cred, call.host);
        String key = cred.accessKeyId();
        return Evidence.builder()
                .principalAccount(principal)
                .accessKeyIdMasked(key.isEmpty() ? "" : AccessKeys.mask(key))
                .keyType(key.isEmpty() ? "" : AccessKeys.keyType(key).auditName())
                .service(service)
                .region(cred.region().isEmpty() ? call.host.region() : cred.region())
                .action(call.action(service))
                .signing(cred.form().auditName())
                .protocol(call.protocol(service));
    }

    static Decision deny(Reason reason, String rule, Evidence.Builder ev) {
        return new Decision(Verdict.DENY, reason, rule, false, false, ev.build());
    }

    static Decision deny(Rejection r, Evidence.Builder ev) {
        return deny(r.reason(), r.rule(), ev);
    }

    static Decision allow(Reason reason, String rule, Evidence.Builder ev) {
        return new Decision(Verdict.ALLOW, reason, rule, false, false, ev.build());
    }
}
