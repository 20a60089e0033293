package io.sekisho.policy.domain;

import static io.sekisho.policy.domain.DomainRulesTest.patterns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostClassifier;
import io.sekisho.policy.HostName;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DomainRulesWarningsTest {

    private static RuleWarning allow(int index, String message) {
        return new RuleWarning("allow", index, message);
    }

    private static RuleWarning deny(int index, String message) {
        return new RuleWarning("deny", index, message);
    }

    static Stream<Arguments> overlaps() {
        return Stream.of(
                arguments("exact name under a dot entry", "a.example.com .example.com", "", List.of(
                        allow(0, "`a.example.com` is already covered by `.example.com` (allow entry 2):"
                                + " remove `a.example.com`"))),
                arguments("apex and dot entry: remove the exact one", ".example.com example.com", "", List.of(
                        allow(1, "`example.com` is already covered by `.example.com` (allow entry 1):"
                                + " remove `example.com`"))),
                arguments("star under a dot entry of the same name", "*.example.com .example.com", "", List.of(
                        allow(0, "`*.example.com` is already covered by `.example.com` (allow entry 2):"
                                + " remove `*.example.com`"))),
                arguments("apex, star and dot: keep the dot entry", "example.com *.example.com .example.com", "", List.of(
                        allow(0, "`example.com` is already covered by `.example.com` (allow entry 3):"
                                + " remove `example.com`"),
                        allow(1, "`*.example.com` is already covered by `.example.com` (allow entry 3):"
                                + " remove `*.example.com`"))),
                arguments("deep star under a shorter dot entry", ".example.com *.a.b.example.com", "", List.of(
                        allow(1, "`*.a.b.example.com` is already covered by `.example.com` (allow entry 1):"
                                + " remove `*.a.b.example.com`"))),
                arguments("duplicate: the later one goes", "example.com .other.org example.com", "", List.of(
                        allow(2, "`example.com` duplicates `example.com` (allow entry 1): remove allow entry 3"))),
                arguments("duplicate in another spelling", ".Example.COM. .example.com", "", List.of(
                        allow(1, "`.example.com` duplicates `.Example.COM.` (allow entry 1): remove allow entry 2"))),
                arguments("same entry in allow and deny: deny wins", "a.example.com", "a.example.com", List.of(
                        allow(0, "`a.example.com` is also denied by `a.example.com` (deny entry 1),"
                                + " and deny wins a tie: remove `a.example.com` from allow"))),
                arguments("same dot entry in allow and deny", ".example.com .other.org", "x.other.org .EXAMPLE.com", List.of(
                        allow(0, "`.example.com` is also denied by `.EXAMPLE.com` (deny entry 2),"
                                + " and deny wins a tie: remove `.example.com` from allow"))),
                arguments("allow hidden by more specific denies", ".example.com", "example.com *.example.com", List.of(
                        allow(0, "`.example.com` never decides: `example.com` (deny entry 1) and"
                                + " `*.example.com` (deny entry 2) are more specific: remove `.example.com`"))),
                arguments("deny over nothing allowed", ".example.com", ".dropbox.com", List.of(
                        deny(0, "`.dropbox.com` changes no verdict: no allow entry matches the names it decides,"
                                + " so they are denied without it: remove `.dropbox.com`"))),
                arguments("deny under a broader deny", ".example.com", ".a.example.com x.a.example.com", List.of(
                        deny(1, "`x.a.example.com` is already covered by `.a.example.com` (deny entry 1):"
                                + " remove `x.a.example.com`"))),
                arguments("CIDR inside a CIDR", "10.0.0.0/8 10.1.0.0/16", "", List.of(
                        allow(1, "`10.1.0.0/16` is already covered by `10.0.0.0/8` (allow entry 1):"
                                + " remove `10.1.0.0/16`"))),
                arguments("address inside a CIDR", "192.0.2.0/24 192.0.2.7", "", List.of(
                        allow(1, "`192.0.2.7` is already covered by `192.0.2.0/24` (allow entry 1):"
                                + " remove `192.0.2.7`"))),
                arguments("two halves and the whole", "192.168.0.0/25 192.168.0.128/25 192.168.0.0/24", "", List.of(
                        allow(0, "`192.168.0.0/25` is already covered by `192.168.0.0/24` (allow entry 3):"
                                + " remove `192.168.0.0/25`"),
                        allow(1, "`192.168.0.128/25` is already covered by `192.168.0.0/24` (allow entry 3):"
                                + " remove `192.168.0.128/25`"))),
                arguments("IPv6 CIDR inside a CIDR", "2001:db8::/32 2001:db8:1::/48", "", List.of(
                        allow(1, "`2001:db8:1::/48` is already covered by `2001:db8::/32` (allow entry 1):"
                                + " remove `2001:db8:1::/48`"))),
                arguments("same CIDR in allow and deny", "10.0.0.0/8", "10.0.0.0/8", List.of(
                        allow(0, "`10.0.0.0/8` is also denied by `10.0.0.0/8` (deny entry 1),"
                                + " and deny wins a tie: remove `10.0.0.0/8` from allow"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaps")
    void advisesWhichEntryToRemove(String name, String allow, String deny, List<RuleWarning> expected) {
        assertThat(DomainRules.compile(patterns(allow), patterns(deny)).warnings()).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> noOverlap() {
        return Stream.of(
                arguments("an exception re-allowed under a deny", ".example.com b.a.example.com", ".a.example.com"),
                arguments("an exact allow that beats a star deny", ".example.com a.example.com", "*.example.com"),
                arguments("apex and star are not redundant", "example.com *.example.com", ""),
                arguments("siblings", "a.example.com b.example.com", ""),
                arguments("a deny that carves out of an allow", ".example.com", ".a.example.com"),
                arguments("a deny CIDR also guards resolved addresses", "", "10.0.0.0/8"),
                arguments("a narrower allow under a CIDR deny", "10.1.0.0/16", "10.0.0.0/8"),
                arguments("a narrower deny under a narrower allow", "10.0.0.0/8 10.1.0.0/16", "10.1.0.0/24 10.0.0.0/12"),
                arguments("nothing at all", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noOverlap")
    void staysQuietWhenEveryEntryDecidesSomething(String name, String allow, String deny) {
        assertThat(DomainRules.compile(patterns(allow), patterns(deny)).warnings()).isEmpty();
    }

    /**
     * {@code .amazonaws.com} does not open load balancers, so {@code *.elb.amazonaws.com}
     * under it is what opens them: with the catalog at hand there is no advice to remove it.
     */
    @Test
    void aNarrowAllowThatOpensCustomerEndpointsIsNotRedundant() {
        HostClassifier catalog = h -> h.isWithin("elb.amazonaws.com") && !h.value().equals("elb.amazonaws.com")
                ? new HostClassifier.Classification(HostClass.AWS_CUSTOMER_ENDPOINT, "elb.amazonaws.com", "test")
                : new HostClassifier.Classification(HostClass.AWS_API, "amazonaws.com", "test");
        DomainRules rules = DomainRules.compile(patterns(".amazonaws.com *.elb.amazonaws.com"), List.of());
        assertThat(rules.warnings(catalog)).isEmpty();
        assertThat(rules.warnings()).extracting(RuleWarning::index).containsExactly(1);
    }

    @Test
    void aFailingClassifierSilencesAdviceForAllowEntries() {
        HostClassifier broken = h -> {
            throw new IllegalStateException("catalog down");
        };
        DomainRules rules = DomainRules.compile(patterns("a.example.com .example.com"), List.of());
        assertThat(rules.warnings(broken)).isEmpty();
    }

    /**
     * The promise of the warnings: removing every entry they name, all at once, changes no
     * verdict, for names and for addresses. Checked on random rule sets over a small space
     * where overlaps are the rule, against every host of that space.
     */
    @Test
    void followingAllAdviceChangesNoVerdict() {
        Random random = new Random(7L);
        String[] labels = {"a", "b"};
        List<String> hosts = new ArrayList<>();
        collectNames("example.com", labels, 3, hosts);
        for (int i = 0; i < 256; i += 7) {
            hosts.add("10.0.0." + i);
        }
        hosts.add("10.0.1.1");
        for (int round = 0; round < 400; round++) {
            List<DomainPattern> allow = randomEntries(random, labels);
            List<DomainPattern> deny = randomEntries(random, labels);
            DomainRules before = DomainRules.compile(allow, deny);
            List<RuleWarning> warnings = before.warnings();
            DomainRules after = DomainRules.compile(without(allow, "allow", warnings), without(deny, "deny", warnings));
            for (String h : hosts) {
                HostName host = HostName.parse(h);
                assertThat(verdict(after, host)).as("%s allow=%s deny=%s warnings=%s", h, allow, deny, warnings)
                        .isEqualTo(verdict(before, host));
            }
        }
    }

    /** What the engine does with a match: names pass only on an allow; addresses also tell "none" apart. */
    private static String verdict(DomainRules rules, HostName host) {
        DomainRules.Match m = rules.match(host);
        return host.isIpLiteral() ? m.list() : String.valueOf(m.allowed());
    }

    private static void collectNames(String base, String[] labels, int depth, List<String> out) {
        out.add(base);
        if (depth > 0) {
            for (String l : labels) {
                collectNames(l + "." + base, labels, depth - 1, out);
            }
        }
        out.add("zz." + base);
    }

    private static List<DomainPattern> randomEntries(Random random, String[] labels) {
        List<DomainPattern> out = new ArrayList<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(4) == 0) {
                int prefix = 24 + random.nextInt(9);
                int address = random.nextInt(256) & (0xff << (32 - prefix));
                out.add(DomainPattern.parse("10.0.0." + address + "/" + prefix));
                continue;
            }
            StringBuilder name = new StringBuilder("example.com");
            for (int d = random.nextInt(3); d > 0; d--) {
                name.insert(0, labels[random.nextInt(labels.length)] + ".");
            }
            out.add(DomainPattern.parse(new String[] {"", "*.", "."}[random.nextInt(3)] + name));
        }
        return out;
    }

    private static List<DomainPattern> without(List<DomainPattern> list, String name, List<RuleWarning> warnings) {
        List<DomainPattern> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            int index = i;
            if (warnings.stream().noneMatch(w -> w.list().equals(name) && w.index() == index)) {
                out.add(list.get(i));
            }
        }
        return out;
    }
}
