package io.sekisho.policy.domain;

import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostClassifier;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.domain.DomainRules.Match;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds the entries of a {@link DomainRules} that can be removed without changing any
 * verdict, and says why, like Squid's "advice: remove …" warnings.
 *
 * <p>An entry is removable when, on every host it decides, the entry that would decide in its
 * place gives the same verdict. Hosts are checked by region rather than one by one: the
 * entries matching a name depend only on which entry names it equals or lies under, so one
 * probe per entry name under the entry (the name itself, and a fresh label below it) covers
 * every name; for CIDR entries, one free address per nested range. Entries are examined most
 * specific first and a removable entry is taken out before the next is examined, so the
 * advice holds for all warnings applied together (of two duplicates only one is reported).
 */
final class OverlapAnalysis {
    private static final int MAX_NAME = 253;
    private static final Comparator<Match> EXAMINE_ORDER =
            Comparator.comparingInt((Match m) -> -m.pattern().specificity())
                    .thenComparing(Match::denied)
                    .thenComparingInt(m -> -m.index());
    private static final Comparator<RuleWarning> REPORT_ORDER =
            Comparator.comparing((RuleWarning w) -> !w.list().equals(DomainRules.ALLOW))
                    .thenComparingInt(RuleWarning::index);

    private final DomainRules rules;
    private final HostClassifier classifier;
    private final List<Match> entries;
    /** Entries advised away so far. */
    private final boolean[] removed;
    /** The same, for deny entries only: the view a deny name entry is judged in. */
    private final boolean[] removedDenies;
    private final Map<DomainPattern, List<Match>> sameEntry = new HashMap<>();
    private final Map<String, List<String>> namesBelow = new HashMap<>();
    private final String probeLabel;

    OverlapAnalysis(DomainRules rules, HostClassifier classifier) {
        this.rules = rules;
        this.classifier = classifier;
        this.entries = rules.entries();
        this.removed = new boolean[entries.size()];
        this.removedDenies = new boolean[entries.size()];
        Set<String> suffixes = new HashSet<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> labels = new HashSet<>();
        for (Match m : entries) {
            DomainPattern p = m.pattern();
            sameEntry.computeIfAbsent(p, k -> new ArrayList<>()).add(m);
            if (p.kind() != DomainPattern.Kind.CIDR) {
                names.add(p.name());
                labels.addAll(List.of(p.name().split("\\.")));
                if (p.kind() != DomainPattern.Kind.EXACT) {
                    suffixes.add(p.name());
                }
            }
        }
        for (String n : names) {
            for (int i = n.indexOf('.'); i >= 0; i = n.indexOf('.', i + 1)) {
                String ancestor = n.substring(i + 1);
                if (suffixes.contains(ancestor)) {
                    namesBelow.computeIfAbsent(ancestor, k -> new ArrayList<>()).add(n);
                }
            }
        }
        this.probeLabel = freshLabel(labels);
    }

    /** A label no entry uses, so that "label.name" stands for every name strictly under "name" alone. */
    private static String freshLabel(Set<String> used) {
        for (String c : List.of("x", "y", "z", "q", "w")) {
            if (!used.contains(c)) {
                return c;
            }
        }
        for (int i = 0; ; i++) {
            if (!used.contains("p" + i)) {
                return "p" + i;
            }
        }
    }

    List<RuleWarning> warnings() {
        List<Match> order = new ArrayList<>(entries);
        order.sort(EXAMINE_ORDER);
        List<RuleWarning> out = new ArrayList<>();
        for (Match a : order) {
            String advice = advice(a);
            if (advice != null) {
                removed[a.id()] = true;
                removedDenies[a.id()] = a.denied();
                out.add(new RuleWarning(a.list(), a.index(), advice));
            }
        }
        out.sort(REPORT_ORDER);
        return List.copyOf(out);
    }

    /** Advice to remove {@code a}, or null when removing it would change a verdict. */
    private @Nullable String advice(Match a) {
        List<Object> probes = a.pattern().kind() == DomainPattern.Kind.CIDR ? addressProbes(a) : nameProbes(a);
        Set<Match> beatenBy = new LinkedHashSet<>();
        Set<Match> replacedBy = new LinkedHashSet<>();
        boolean decides = false;
        boolean nothingReplaces = false;
        for (Object probe : probes) {
            Match w = find(probe);
            if (w != a) {
                beatenBy.add(w);
                continue;
            }
            decides = true;
            Match r = replacement(a, probe);
            if (!sameVerdict(a, r, probe)) {
                return null;
            }
            if (r.matched()) {
                replacedBy.add(r);
            } else {
                nothingReplaces = true;
            }
        }
        if (probes.isEmpty()) {
            return null;
        }
        String self = "`" + a.pattern().text().trim() + "`";
        if (!decides) {
            return neverDecides(a, self, beatenBy);
        }
        if (nothingReplaces) {
            return self + " changes no verdict: no allow entry matches the names it decides,"
                    + " so they are denied without it: remove " + self;
        }
        return self + " is already covered by " + describe(replacedBy) + ": remove " + self;
    }

    private String neverDecides(Match a, String self, Set<Match> beatenBy) {
        for (Match b : sameEntry.getOrDefault(a.pattern(), List.of())) {
            if (!removed[b.id()] && b != a) {
                if (b.list().equals(a.list()) && b.index() < a.index()) {
                    return self + " duplicates " + b.describe() + ": remove " + a.list()
                            + " entry " + (a.index() + 1);
                }
                if (b.denied() && !a.denied()) {
                    return self + " is also denied by " + b.describe()
                            + ", and deny wins a tie: remove " + self + " from allow";
                }
            }
        }
        return self + " never decides: " + describe(beatenBy)
                + (beatenBy.size() == 1 ? " is" : " are") + " more specific: remove " + self;
    }

    private static String describe(Set<Match> ms) {
        return ms.stream().map(Match::describe).collect(Collectors.joining(" and "));
    }

    private Match find(Object probe) {
        return find(probe, removed);
    }

    private Match find(Object probe, boolean[] without) {
        return probe instanceof String s ? rules.findName(s, without) : rules.findAddress((byte[]) probe, without);
    }

    /**
     * The entry that decides {@code probe} once {@code a} is gone. For a deny name entry the
     * allow entries already advised away are put back: a deny that only became idle because
     * an allow entry it overrode is to be removed is what the user meant, and stays. (Keeping
     * an entry never breaks the other advice, and a deny idle against more allow entries is
     * idle against fewer.)
     */
    private Match replacement(Match a, Object probe) {
        boolean[] without = a.denied() && a.pattern().kind() != DomainPattern.Kind.CIDR ? removedDenies : removed;
        without[a.id()] = true;
        try {
            return find(probe, without);
        } finally {
            without[a.id()] = false;
        }
    }

    /**
     * Whether {@code r} deciding instead of {@code a} leaves the verdict alone. A name that no
     * entry matches is denied, so a deny name entry may give way to nothing; a CIDR entry may
     * not, because deny CIDR entries also apply to resolved addresses, which pass by default.
     */
    private boolean sameVerdict(Match a, Match r, Object probe) {
        if (a.pattern().kind() == DomainPattern.Kind.CIDR) {
            return r.matched() && r.denied() == a.denied();
        }
        if (a.denied()) {
            return !r.matched() || r.denied();
        }
        return r.allowed() && sameCustomerEndpointVerdict(a.pattern(), r.pattern(), (String) probe);
    }

    /** A customer endpoint opens only to a narrow allow entry: a broad one cannot stand in. */
    private boolean sameCustomerEndpointVerdict(DomainPattern a, DomainPattern r, String probe) {
        HostClassifier.Classification c;
        try {
            c = classifier.classify(HostName.parse(probe));
        } catch (RuntimeException e) {
            return false;   // unknown: do not advise
        }
        if (c == null || c.hostClass() != HostClass.AWS_CUSTOMER_ENDPOINT) {
            return c != null;
        }
        return a.isNoBroaderThan(c.suffix()) == r.isNoBroaderThan(c.suffix());
    }

    private List<Object> nameProbes(Match a) {
        DomainPattern p = a.pattern();
        List<Object> probes = new ArrayList<>();
        if (p.kind() == DomainPattern.Kind.EXACT) {
            probes.add(p.name());
            return probes;
        }
        if (p.kind() == DomainPattern.Kind.APEX_AND_SUBDOMAINS) {
            probes.add(p.name());
        }
        addIfValid(probes, probeLabel + "." + p.name());
        for (String m : namesBelow.getOrDefault(p.name(), List.of())) {
            probes.add(m);
            addIfValid(probes, probeLabel + "." + m);
        }
        return probes;
    }

    private static void addIfValid(List<Object> probes, String name) {
        if (name.length() <= MAX_NAME) {
            probes.add(name);
        }
    }

    /**
     * One address in each range nested in {@code a} (and in {@code a} itself) that no narrower
     * nested range covers: CIDR ranges are nested or disjoint, so these are all the regions.
     */
    private List<Object> addressProbes(Match a) {
        Range outer = Range.of(a.pattern());
        List<Range> inside = new ArrayList<>();
        for (Match m : entries) {
            if (m.pattern().kind() == DomainPattern.Kind.CIDR && m != a) {
                Range r = Range.of(m.pattern());
                if (outer.contains(r)) {
                    inside.add(r);
                }
            }
        }
        inside.sort(Comparator.comparing(Range::lo));
        List<Object> probes = new ArrayList<>();
        List<Range> regions = new ArrayList<>(inside);
        regions.add(outer);
        for (Range c : regions) {
            BigInteger free = c.freePoint(inside);
            if (free != null) {
                probes.add(c.bytes(free));
            }
        }
        return probes;
    }

    /** A CIDR range as numbers, for the region search. */
    private record Range(BigInteger lo, BigInteger hi, int prefix, int length) {
        static Range of(DomainPattern p) {
            byte[] n = p.network();
            BigInteger lo = new BigInteger(1, n);
            BigInteger size = BigInteger.ONE.shiftLeft(n.length * 8 - p.prefixLength());
            return new Range(lo, lo.add(size).subtract(BigInteger.ONE), p.prefixLength(), n.length);
        }

        boolean contains(Range r) {
            return r.length == length && r.prefix >= prefix && lo.compareTo(r.lo) <= 0 && hi.compareTo(r.hi) >= 0;
        }

        /** The lowest address of this range outside every strictly narrower range in {@code sorted}. */
        @Nullable BigInteger freePoint(List<Range> sorted) {
            BigInteger candidate = lo;
            for (Range s : sorted) {
                if (s.prefix <= prefix || !contains(s)) {
                    continue;
                }
                if (s.lo.compareTo(candidate) > 0) {
                    return candidate;
                }
                candidate = candidate.max(s.hi.add(BigInteger.ONE));
            }
            return candidate.compareTo(hi) <= 0 ? candidate : null;
        }

        byte[] bytes(BigInteger v) {
            byte[] raw = v.toByteArray();
            byte[] out = new byte[length];
            int n = Math.min(raw.length, length);
            System.arraycopy(raw, raw.length - n, out, length - n, n);
            return out;
        }
    }
}
