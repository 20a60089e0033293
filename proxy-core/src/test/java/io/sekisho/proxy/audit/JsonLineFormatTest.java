package io.sekisho.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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

/** One generator for every line: each line is what a generator of its own would write. */
class JsonLineFormatTest {

    @Test
    void linesAcrossBatchesAreThoseOfAGeneratorPerLine() throws Exception {
        JsonLineFormat format = new JsonLineFormat("node-1");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        format.append(record(1), first);
        format.append(record(2), first);
        format.append(record(3), second);

        assertThat(first.toString(StandardCharsets.UTF_8)).isEqualTo(alone(record(1)) + alone(record(2)));
        assertThat(second.toString(StandardCharsets.UTF_8)).isEqualTo(alone(record(3)));
    }

    @Test
    void aLineThatFailsLeavesTheNextWhole() throws Exception {
        JsonLineFormat format = new JsonLineFormat("node-1");
        ByteArrayOutputStream broken = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                throw new IllegalStateException("no room");
            }
        };
        assertThatThrownBy(() -> format.append(record(1), broken)).isInstanceOf(IllegalStateException.class);

        ByteArrayOutputStream next = new ByteArrayOutputStream();
        format.append(record(2), next);
        assertThat(next.toString(StandardCharsets.UTF_8)).isEqualTo(alone(record(2)));
    }

    private static AuditRecord record(int n) {
        Evidence e = Evidence.builder().principalAccount("111122223333").service("s3").build();
        return AuditRecords.of("id-" + n, Instant.parse("2026-01-02T03:04:05.006Z").plusMillis(n), "10.0.0.1:5000")
                .request("GET", "s3.us-east-1.amazonaws.com", 443, "/small").bytes(0, 1024).lasted(n)
                .identity(new Identity("alice", List.of("dev"), "basic"))
                .decided(Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "aws").withEvidence(e), Mode.ENFORCE);
    }

    /** The line as a generator of its own writes it. */
    private static String alone(AuditRecord r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonFactory factory = new JsonFactory();
        try (JsonGenerator g = factory.createGenerator(out)) {
            AuditJson.write(g, r, "node-1");
        }
        return out.toString(StandardCharsets.UTF_8) + "\n";
    }
}
