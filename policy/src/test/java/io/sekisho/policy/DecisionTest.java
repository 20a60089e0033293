package io.sekisho.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An allowed request that could not be completed: the failure the client gets, and the decision its audit line keeps. */
class DecisionTest {
    private static final Evidence EVIDENCE = Evidence.builder().principalAccount("111122223333").build();

    @Test
    void aRequestNotCompletedIsDeniedWithTheFailureAndKeepsRuleAndEvidence() {
        Decision allowed = Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "aws.accounts.allow").withEvidence(EVIDENCE);
        Decision failed = allowed.notCompleted(Reason.DNS_FAILED, "");
        assertThat(failed.verdict()).isEqualTo(Verdict.DENY);
        assertThat(failed.reason()).isEqualTo(Reason.DNS_FAILED);
        assertThat(failed.rule()).isEqualTo("aws.accounts.allow");
        assertThat(failed.evidence()).isSameAs(EVIDENCE);
        assertThat(allowed.notCompleted(Reason.UPSTREAM_TLS_FAILED, "SSLHandshakeException").rule())
                .isEqualTo("SSLHandshakeException");
    }

    @Test
    void theAuditKeepsAReportModeWouldDenyAndOtherwiseTheFailure() {
        Decision wouldDeny = Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "").inMode(Mode.REPORT);
        Decision allowed = Decision.allow(Reason.DOMAIN_ALLOWED, ".example.com");
        Decision failure = Decision.deny(Reason.DNS_FAILED, "");
        assertThat(wouldDeny.auditedWith(failure)).isSameAs(wouldDeny);
        assertThat(allowed.auditedWith(failure)).isSameAs(failure);
    }
}
