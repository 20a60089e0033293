package io.sekisho.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sekisho.policy.HostName;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fuzz target (docs/fuzzing.md): the domain grammar and rule lookup. The input is lines of
 * text: {@code +entry} an allow entry, {@code -entry} a deny entry, anything else a host to
 * look up. Entries and hosts that do not parse must be refused with
 * {@link IllegalArgumentException} only. Every lookup must pick the entry a brute-force
 * reference picks (DESIGN.md "Domain rules": the most specific match; on a tie deny, then the
 * earlier entry), and dropping every entry {@link DomainRules#warnings()} calls redundant must
 * change no host's verdict.
 */
class DomainRulesFuzzTest {

    @FuzzTest
    void lookup(byte[] input) {
        List<DomainPattern> allow = new ArrayList<>();
        List<DomainPattern> deny = new ArrayList<>();
        List<HostName> hosts = new ArrayList<>();
        for (String line : new String(input, StandardCharsets.UTF_8).split("\n", -1)) {
            try {
                if (line.startsWith("+")) {
                    allow.add(DomainPattern.parse(line.substring(1)));
                } else if (line.startsWith("-")) {
                    deny.add(DomainPattern.parse(line.substring(1)));
                } else {
                    hosts.add(HostName.parse(line));
                }
            } catch (IllegalArgumentException refused) {
                // the documented refusal of an entry or host
            }
        }
        DomainRules rules = DomainRules.compile(allow, deny);
        List<RuleWarning> warnings = rules.warnings();
        DomainRules pruned = DomainRules.compile(without(allow, DomainRules.ALLOW, warnings),
                without(deny, DomainRules.DENY, warnings));
        for (HostName host : hosts) {
            DomainRules.Match m = rules.match(host);
            String expected = reference(allow, deny, host);
            assertThat(m.list() + " " + m.index()).as("entry deciding %s", host).isEqualTo(expected);
            assertThat(verdict(pruned.match(host))).as("verdict for %s after the advice %s", host, warnings)
                    .isEqualTo(verdict(m));
        }
    }

    /** No match is a deny too (a name no entry allows is denied). */
    private static String verdict(DomainRules.Match m) {
        return m.allowed() ? "allow" : "deny";
    }

    private static List<DomainPattern> without(List<DomainPattern> entries, String list, List<RuleWarning> warnings) {
        List<DomainPattern> kept = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            int index = i;
            if (warnings.stream().noneMatch(w -> w.list().equals(list) && w.index() == index)) {
                kept.add(entries.get(i));
            }
        }
        return kept;
    }

    /** "list index" of the deciding entry by brute force, or " -1" when none matches. */
    private static String reference(List<DomainPattern> allow, List<DomainPattern> deny, HostName host) {
        String best = " -1";
        long bestRank = Long.MIN_VALUE;
        for (int pass = 0; pass < 2; pass++) {
            boolean denyList = pass == 0; // deny first: on a tie the earlier candidate stays
            List<DomainPattern> l = denyList ? deny : allow;
            for (int i = 0; i < l.size(); i++) {
                DomainPattern p = l.get(i);
                if (matches(p, host) && specificity(p) > bestRank) {
                    bestRank = specificity(p);
                    best = (denyList ? DomainRules.DENY : DomainRules.ALLOW) + " " + i;
                }
            }
        }
        return best;
    }

    /** DESIGN.md's grammar, from the entry's text, without DomainPattern's matcher. */
    private static boolean matches(DomainPattern p, HostName host) {
        String t = p.text().trim().toLowerCase(Locale.ROOT);
        if (p.kind() == DomainPattern.Kind.CIDR) {
            return host.isIpLiteral() && inRange(p, host.literalAddress().getAddress());
        }
        if (host.isIpLiteral()) {
            return false;
        }
        String h = host.value();
        String name = p.name();
        return switch (p.kind()) {
            case EXACT -> h.equals(name);
            case SUBDOMAINS -> t.startsWith("*.") && h.endsWith("." + name);
            case APEX_AND_SUBDOMAINS -> t.startsWith(".") && (h.equals(name) || h.endsWith("." + name));
            default -> throw new IllegalStateException();
        };
    }

    private static boolean inRange(DomainPattern p, byte[] address) {
        byte[] net = p.network();
        if (address.length != net.length) {
            return false;
        }
        int shift = address.length * 8 - p.prefixLength();
        return new BigInteger(1, address).shiftRight(shift).equals(new BigInteger(1, net).shiftRight(shift));
    }

    private static long specificity(DomainPattern p) {
        String name = p.name();
        long labels = name == null ? 0 : name.chars().filter(c -> c == '.').count() + 1;
        return switch (p.kind()) {
            case EXACT -> Long.MAX_VALUE;
            case SUBDOMAINS -> labels * 2 + 1;
            case APEX_AND_SUBDOMAINS -> labels * 2;
            case CIDR -> p.prefixLength();
        };
    }
}
