package io.sekisho.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.AppliedPolicy;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact bytes of audit lines, written by the asynchronous writer. */
class AuditJsonTest {

    @Test
    void writesOneLinePerRecordWithStableKeysAndOnlyKnownEvidence() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Evidence e = Evidence.builder().principalAccount("111122223333").resourceAccounts(List.of("444455556666"))
                .accessKeyIdMasked("AKIA…MPLE").service("sts").build();
        try (AsyncAuditLog log = AsyncAuditLog.to(out, 10)) {
            log.write(AuditRecords.of("abc-1", Instant.parse("2026-01-02T03:04:05.006Z"), "10.0.0.1:5000")
                    .request("POST", "sts.amazonaws.com", 443, "/").bytes(12, 0).lasted(7)
                    .identity(new Identity("alice", List.of("admins", "dev"), "basic"))
                    .decided(Decision.deny(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "aws").withEvidence(e)
                            .by(new AppliedPolicy("ops", Mode.ENFORCE)), Mode.ENFORCE));
            log.write(AuditRecords.of("abc-2", Instant.parse("2026-01-02T03:04:05Z"), "10.0.0.1:5001")
                    .connect("example.com", 443).bytes(100, 200).lasted(1500)
                    .decided(Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "").inMode(Mode.REPORT), Mode.REPORT));
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(""
                + "{\"time\":\"2026-01-02T03:04:05.006Z\",\"requestId\":\"abc-1\",\"client\":\"10.0.0.1:5000\","
                + "\"method\":\"POST\",\"host\":\"sts.amazonaws.com\",\"port\":443,\"path\":\"/\","
                + "\"verdict\":\"DENY\",\"reason\":\"AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED\",\"rule\":\"aws\","
                + "\"mode\":\"enforce\",\"wouldDeny\":false,\"bytesUp\":12,\"bytesDown\":0,\"durationMs\":7,\"status\":0,"
                + "\"user\":\"alice\",\"groups\":[\"admins\",\"dev\"],\"authScheme\":\"basic\",\"policy\":\"ops\","
                + "\"principalAccount\":\"111122223333\",\"resourceAccounts\":[\"444455556666\"],"
                + "\"accessKeyId\":\"AKIA…MPLE\",\"service\":\"sts\"}\n"
                + "{\"time\":\"2026-01-02T03:04:05.000Z\",\"requestId\":\"abc-2\",\"client\":\"10.0.0.1:5001\","
                + "\"method\":\"CONNECT\",\"host\":\"example.com\",\"port\":443,\"path\":\"\","
                + "\"verdict\":\"ALLOW\",\"reason\":\"DOMAIN_NOT_ALLOWED\",\"rule\":\"\",\"mode\":\"report\","
                + "\"wouldDeny\":true,\"bytesUp\":100,\"bytesDown\":200,\"durationMs\":1500,\"status\":0,"
                + "\"user\":\"\",\"groups\":[],\"authScheme\":\"\",\"policy\":\"\"}\n");
    }

    @Test
    void theModeIsThatOfThePolicyThatDecided() {
        Decision inReport = Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "").inMode(Mode.REPORT)
                .by(new AppliedPolicy("rollout", Mode.REPORT));
        AuditRecord r = AuditRecords.of("abc-4", Instant.EPOCH, "10.0.0.1:5003").connect("example.com", 443)
                .decided(inReport, Mode.ENFORCE);
        assertThat(r.mode()).isEqualTo(Mode.REPORT);
        assertThat(AuditRecords.of("abc-5", Instant.EPOCH, "c").decided(Decision.allow(Reason.DOMAIN_ALLOWED, ""),
                Mode.ENFORCE).mode()).isEqualTo(Mode.ENFORCE);
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        java.io.PipedOutputStream blocked = new java.io.PipedOutputStream(new java.io.PipedInputStream(1));
        AsyncAuditLog log = AsyncAuditLog.to(blocked, 2);
        AuditRecord r = new AuditRecord(Instant.EPOCH, "x", "c", "GET", "h", 80, "/",
                Decision.allow(Reason.DOMAIN_ALLOWED, ""), Mode.ENFORCE, 0, 0, 0,
                AuditRecord.Http.NONE, Identity.ANONYMOUS);
        for (int i = 0; i < 50; i++) {
            log.write(r); // never blocks, although nobody reads the pipe
        }
        assertThat(log.dropped()).isGreaterThan(0);
    }

    @Test
    void theHttpAndTlsFactsAndTheInstanceAreWrittenWhenKnown() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out);
        AuditJson.write(g, AuditRecords.of("abc-3", Instant.parse("2026-01-02T03:04:05Z"), "10.0.0.1:5002")
                .request("GET", "example.com", 443, "/").status(403).scheme("https").agent("Mozilla/5.0", "")
                .tls("TLSv1.3", "example.com").decided(Decision.deny(Reason.DOMAIN_NOT_ALLOWED, ""), Mode.ENFORCE),
                "proxy-a");
        g.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("\"durationMs\":0,\"status\":403,"
                + "\"userAgent\":\"Mozilla/5.0\",\"tlsVersion\":\"TLSv1.3\",\"sni\":\"example.com\","
                + "\"instance\":\"proxy-a\",\"user\":\"\",\"groups\":[],\"authScheme\":\"\",\"policy\":\"\"}");
    }
}
