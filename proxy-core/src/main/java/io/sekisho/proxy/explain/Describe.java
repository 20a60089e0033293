package io.sekisho.proxy.explain;

import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import java.util.ArrayList;
import java.util.List;

/** How a decision and its evidence read in explain's output. */
final class Describe {
    private Describe() {
    }

    /** "ALLOW AWS_ACCOUNT_ALLOWED (rule .amazonaws.com)", with "would deny" in report mode. */
    static String decision(Decision d) {
        String verdict = d.wouldDeny() ? "ALLOW (report mode; enforce would DENY)" : d.verdict().name();
        return verdict + " " + d.reason().name() + (d.rule().isEmpty() ? "" : " (rule " + d.rule() + ")");
    }

    /** The evidence, as "name: value" lines, only what is known. */
    static List<String> evidence(Evidence e) {
        List<String> out = new ArrayList<>();
        add(out, "key", e.accessKeyIdMasked() + (e.keyType().isEmpty() ? "" : " (" + e.keyType() + ")"));
        add(out, "account", e.principalAccount());
        add(out, "resource accounts", String.join(", ", e.resourceAccounts()));
        add(out, "signing", e.signing());
        add(out, "service", e.service() + (e.region().isEmpty() ? "" : " in " + e.region()));
        add(out, "action", e.action());
        add(out, "sign-in step", e.flow() + (e.flow().isEmpty() || e.action().isEmpty() ? "" : " / " + e.action()));
        add(out, "identity center", e.identityCenterInstance());
        return out;
    }

    private static void add(List<String> out, String name, String value) {
        String v = value.trim();
        if (!v.isEmpty() && !v.startsWith("(") && !v.startsWith("in ")) {
            out.add(name + ": " + v);
        }
    }

    /** An access key ID as the audit log shows it: first and last four characters. */
    static String mask(String akid) {
        return akid.length() <= 8 ? "…" : akid.substring(0, 4) + "…" + akid.substring(akid.length() - 4);
    }
}
