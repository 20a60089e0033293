package io.sekisho.proxy.squid;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.HostName;
import io.sekisho.policy.domain.DomainPattern;
import java.util.List;

/**
 * Where Squid's first match and Sekisho's most specific rule (deny winning a tie) answer
 * differently: a later rule of the opposite verdict whose destinations fall under an earlier,
 * broader (or equal) rule. Squid never reaches the later rule for them; Sekisho applies it.
 */
final class OrderCheck {
    /** One converted destination of one http_access rule. */
    record Item(Entry entry, DomainPattern pattern, boolean allow, int rule, String ruleWhere) {
    }

    private final Findings findings;

    OrderCheck(Findings findings) {
        this.findings = findings;
    }

    void check(List<Item> items) {
        for (Item later : items) {
            for (Item earlier : items) {
                if (earlier.rule() >= later.rule() || earlier.allow() == later.allow()) {
                    continue;
                }
                if (differs(earlier, later)) {
                    findings.warning(later.entry().where(), "order matters here: for " + later.entry().value()
                            + " Squid answers " + verdict(earlier) + " (first match: " + earlier.entry().value()
                            + " at " + earlier.ruleWhere() + ") but Sekisho answers " + verdict(later)
                            + " (most specific rule" + (tie(earlier, later) ? ", deny wins a tie" : "") + ")");
                    break;
                }
            }
        }
    }

    private static boolean differs(Item earlier, Item later) {
        String sample = sample(later.pattern());
        if (sample == null || !earlier.pattern().matches(HostName.parse(sample))) {
            return false;
        }
        int a = earlier.pattern().specificity();
        int b = later.pattern().specificity();
        return b > a || (b == a && !later.allow());
    }

    private static boolean tie(Item earlier, Item later) {
        return earlier.pattern().specificity() == later.pattern().specificity();
    }

    /** A host the later pattern matches, to ask whether the earlier one matches it too. */
    private static @Nullable String sample(DomainPattern p) {
        return switch (p.kind()) {
            case EXACT, APEX_AND_SUBDOMAINS -> p.name();
            case SUBDOMAINS -> "sample." + p.name();
            case CIDR -> null;
        };
    }

    private static String verdict(Item i) {
        return i.allow() ? "allow" : "deny";
    }
}
