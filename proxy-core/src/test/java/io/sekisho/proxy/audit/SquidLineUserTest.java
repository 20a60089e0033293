package io.sekisho.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Decision;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The access log's user column (Squid's %[un) carries the user proved by proxy authentication. */
class SquidLineUserTest {
    private static final Instant ARRIVED = Instant.parse("2026-01-02T03:04:05Z");

    private static String line(AccessLogFormat format, AuditRecords.Builder b, Decision d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SquidLineFormat(format).append(b.decided(d, Mode.ENFORCE), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theProvedUserIsInBothFormatsAndAnonymousIsADash() {
        AuditRecords.Builder alice = AuditRecords.of("id", ARRIVED, "10.0.0.1:5000").connect("example.com", 443)
                .status(200).identity(new Identity("alice smith", List.of("dev"), "basic"));
        Decision allow = Decision.allow(Reason.DOMAIN_ALLOWED, "example.com");
        assertThat(line(AccessLogFormat.SQUID, alice, allow))
                .contains(" CONNECT example.com:443 alice%20smith HIER_DIRECT/example.com -\n");
        assertThat(line(AccessLogFormat.COMBINED, alice, allow)).startsWith("10.0.0.1 - alice%20smith [");
        AuditRecords.Builder anonymous = AuditRecords.of("id", ARRIVED, "10.0.0.1:5000").connect("example.com", 443)
                .status(407);
        assertThat(line(AccessLogFormat.SQUID, anonymous, Decision.deny(Reason.AUTH_REQUIRED, "")))
                .contains(" TCP_DENIED/407 ").contains(" CONNECT example.com:443 - HIER_NONE/- -\n");
    }
}
