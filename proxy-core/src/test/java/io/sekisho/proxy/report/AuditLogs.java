package io.sekisho.proxy.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Verdict;
import io.sekisho.proxy.audit.AuditJson;
import io.sekisho.proxy.audit.AuditRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Generated audit logs, written by the proxy's own AuditJson: a report-mode rollout in which
 * most traffic is the company's, and some is not. Every seventh line carries fields a newer
 * version adds ({@code user}, {@code status}, an object), which the report must skip.
 */
final class AuditLogs {
    static final Instant START = Instant.parse("2026-11-30T08:00:00Z");
    private static final JsonFactory JSON = new JsonFactory();
    private static final List<String> CORP = List.of("111122223333", "444455556666");

    private AuditLogs() {
    }

    /** Line {@code i} of the generated log. */
    static String line(long i) throws IOException {
        StringWriter w = new StringWriter(400);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            AuditJson.write(g, record(i));
        }
        String s = w.toString();
        if (i % 7 == 3) {
            // Fields this reader does not know, an object and an array among them, must be skipped.
            s = "{\"cache\":\"none\",\"tls\":{\"sni\":\"x\",\"v\":[1,2]}," + s.substring(1);
        }
        return s;
    }

    static void write(Writer w, long from, long to) throws IOException {
        for (long i = from; i < to; i++) {
            w.write(line(i));
            w.write('\n');
        }
    }

    static void write(OutputStream out, long from, long to) throws IOException {
        for (long i = from; i < to; i++) {
            out.write((line(i) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static AuditRecord record(long i) {
        int kind = (int) (i % 10);
        String client = "10.0.0." + (1 + i % 20) + ":" + (40000 + i % 1000);
        Decision d;
        String host;
        if (kind < 6) {
            host = "s3.eu-west-1.amazonaws.com";
            d = decision(Verdict.ALLOW, Reason.AWS_ACCOUNT_ALLOWED, "aws.accounts.allow", false,
                    Evidence.builder().principalAccount(CORP.get((int) (i % 2))).service("s3").build());
        } else if (kind == 6) {
            host = "sts.amazonaws.com";
            d = decision(Verdict.ALLOW, Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "aws.accounts.allow", true,
                    Evidence.builder().principalAccount("999988887777").service("sts").build());
        } else if (kind == 7) {
            host = "portal.sso.eu-west-1.amazonaws.com";
            d = decision(Verdict.ALLOW, Reason.AWS_SIGNIN_ALLOWED, "aws.accounts.allow", false,
                    Evidence.builder().principalAccount(CORP.get(0)).flow("portal").action("federation/console").build());
        } else if (kind == 8) {
            host = "eu-west-1.signin.aws.amazon.com";
            d = decision(Verdict.ALLOW, Reason.AWS_SIGNIN_TOKEN_UNKNOWN, "signin.tokenProvenance", true,
                    Evidence.builder().flow("federation").action("login").build());
        } else {
            host = "www.example.org";
            d = decision(Verdict.ALLOW, Reason.DOMAIN_NOT_ALLOWED, "", true, Evidence.NONE);
        }
        return new AuditRecord(START.plusSeconds(i), "r" + i, client, "GET", host, 443, "/", d, Mode.REPORT, 100,
                2000, 12, AuditRecord.Http.NONE, i % 7 == 3
                        ? new Identity("user" + (i % 5) + "@corp.example", List.of("ops", "aws"), "basic")
                        : Identity.ANONYMOUS);
    }

    private static Decision decision(Verdict v, Reason reason, String rule, boolean wouldDeny, Evidence e) {
        return new Decision(v, reason, rule, wouldDeny, false, e);
    }
}
