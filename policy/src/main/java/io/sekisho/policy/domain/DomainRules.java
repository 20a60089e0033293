package io.sekisho.policy.domain;

import io.sekisho.policy.HostClassifier;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code domains.allow} and {@code domains.deny} compiled for lookup. The most specific
 * matching entry wins whatever the order of the lists (DESIGN.md "Domain rules",
 * {@link DomainPattern#specificity()}); on a tie deny wins, and within one list the earlier
 * entry. Names match only name entries, IP literals only CIDR entries.
 *
 * <p>A name lookup walks the host's label boundaries from the right, probing one hash table
 * per boundary with a running hash, so it allocates nothing and costs one probe per label
 * whatever the number of rules. CIDR entries are few; they are scanned narrowest first.
 *
 * <p>Immutable and thread-safe.
 */
public final class DomainRules {
    public static final String ALLOW = "allow";
    public static final String DENY = "deny";

    /** Precedence among entries of equal specificity: deny first, then the earlier entry. */
    private static final Comparator<Match> TIE_ORDER =
            Comparator.comparing((Match m) -> !m.denied()).thenComparingInt(Match::index);
    private static final Comparator<Match> CIDR_ORDER =
            Comparator.comparingInt((Match m) -> -m.pattern().specificity()).thenComparing(TIE_ORDER);

    private final List<Match> entries;
    private final NameTable names;
    private final Match[] cidr4;
    private final Match[] cidr6;

    private DomainRules(List<Match> entries) {
        this.entries = entries;
        Map<String, List<Match>[]> byName = new LinkedHashMap<>();
        List<Match> v4 = new ArrayList<>();
        List<Match> v6 = new ArrayList<>();
        for (Match m : entries) {
            DomainPattern p = m.pattern();
            if (p.kind() == DomainPattern.Kind.CIDR) {
                (p.network().length == 4 ? v4 : v6).add(m);
            } else {
                byName.computeIfAbsent(p.name(), k -> newSlotLists())[p.kind().ordinal()].add(m);
            }
        }
        Map<String, NameTable.Slot> slots = new LinkedHashMap<>();
        byName.forEach((name, lists) -> slots.put(name, new NameTable.Slot(
                sorted(lists[DomainPattern.Kind.EXACT.ordinal()]),
                sorted(lists[DomainPattern.Kind.SUBDOMAINS.ordinal()]),
                sorted(lists[DomainPattern.Kind.APEX_AND_SUBDOMAINS.ordinal()]))));
        this.names = new NameTable(slots);
        this.cidr4 = v4.stream().sorted(CIDR_ORDER).toArray(Match[]::new);
        this.cidr6 = v6.stream().sorted(CIDR_ORDER).toArray(Match[]::new);
    }

    // Java cannot create an array of a generic type; the raw array holds only List<Match>.
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Match>[] newSlotLists() {
        return new List[] {new ArrayList<Match>(1), new ArrayList<Match>(1), new ArrayList<Match>(1)};
    }

    private static @Nullable Match[] sorted(List<Match> l) {
        return l.isEmpty() ? null : l.stream().sorted(TIE_ORDER).toArray(Match[]::new);
    }

    /** Compiles the two lists; entries are kept with their list name and position. */
    public static DomainRules compile(List<DomainPattern> allow, List<DomainPattern> deny) {
        List<Match> all = new ArrayList<>(allow.size() + deny.size());
        add(all, ALLOW, allow);
        add(all, DENY, deny);
        return new DomainRules(List.copyOf(all));
    }

    private static void add(List<Match> all, String list, List<DomainPattern> patterns) {
        for (int i = 0; i < patterns.size(); i++) {
            all.add(new Match(Objects.requireNonNull(patterns.get(i)), list, i, all.size()));
        }
    }

    /** The entry that decides {@code host}, or {@link Match#NONE}. */
    public Match match(HostName host) {
        InetAddress literal = host.literalAddress();
        if (literal != null) {
            return match(literal);
        }
        return findName(host.value(), null);
    }

    /** The CIDR entry that decides {@code address}, or {@link Match#NONE}. */
    public Match match(InetAddress address) {
        return findAddress(DomainPattern.IpBytes.of(address), null);
    }

    /**
     * Entries that can be removed without changing any verdict, each with advice. Pure domain
     * semantics: use {@link #warnings(HostClassifier)} where the AWS catalog is at hand, so that
     * no advice removes a narrow allow entry that is what opens a customer endpoint.
     */
    public List<RuleWarning> warnings() {
        return warnings(HostClassifier.NONE);
    }

    /**
     * Entries that can be removed without changing any verdict, each with advice naming the
     * entry to remove and the entry that makes it redundant. Following every piece of advice
     * at once changes no verdict either. {@code classifier} tells which names are customer
     * endpoints, which only a narrow allow entry opens (see {@code PolicyEngine}).
     */
    public List<RuleWarning> warnings(HostClassifier classifier) {
        return new OverlapAnalysis(this, classifier).warnings();
    }

    /** Every entry, allow first, each {@link Match#id()} its position here. */
    List<Match> entries() {
        return entries;
    }

    /**
     * The winner for a name, skipping entries marked in {@code removed} (null: none removed).
     * Walking right to left finds shorter suffixes first; each hit further left is more
     * specific, so the last hit wins. At a proper suffix {@code *.x} beats {@code .x}; at the
     * whole name an exact entry beats {@code .name}.
     */
    Match findName(String v, boolean @Nullable [] removed) {
        Match best = Match.NONE;
        int h = 0;
        for (int i = v.length() - 1; i >= 0; i--) {
            h = NameTable.step(h, v.charAt(i));
            if (i == 0 || v.charAt(i - 1) == '.') {
                NameTable.Slot s = names.get(v, i, h);
                if (s != null) {
                    Match m = first(i == 0 ? s.exact : s.subdomains, removed);
                    if (m == null) {
                        m = first(s.apexAndSubdomains, removed);
                    }
                    if (m != null) {
                        best = m;
                    }
                }
            }
        }
        return best;
    }

    /** The winner among CIDR entries for these address bytes, skipping {@code removed} ones. */
    Match findAddress(byte[] address, boolean @Nullable [] removed) {
        Match[] list = address.length == 4 ? cidr4 : cidr6;
        for (Match m : list) {
            if ((removed == null || !removed[m.id]) && m.pattern().contains(address)) {
                return m;
            }
        }
        return Match.NONE;
    }

    private static @Nullable Match first(@Nullable Match[] candidates, boolean @Nullable [] removed) {
        if (candidates == null) {
            return null;
        }
        if (removed == null) {
            return candidates[0];
        }
        for (Match m : candidates) {
            if (!removed[m.id]) {
                return m;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "DomainRules" + Arrays.toString(entries.toArray());
    }

    /**
     * The entry that decided a lookup: its pattern, list and position; or {@link #NONE} when
     * no entry matched. One instance per entry, made at compile time, so lookups allocate
     * nothing.
     */
    public static final class Match {
        public static final Match NONE = new Match(null, "", -1, -1);

        private final @Nullable DomainPattern pattern;
        private final String list;
        private final int index;
        private final int id;
        private final boolean deny;

        private Match(@Nullable DomainPattern pattern, String list, int index, int id) {
            this.pattern = pattern;
            this.list = list;
            this.index = index;
            this.id = id;
            this.deny = DENY.equals(list);
        }

        /** True when an entry matched. */
        public boolean matched() {
            return pattern != null;
        }

        /** True when a deny entry decided. */
        public boolean denied() {
            return deny;
        }

        /** True when an allow entry decided. */
        public boolean allowed() {
            return pattern != null && !deny;
        }

        /** The deciding entry. */
        public DomainPattern pattern() {
            if (pattern == null) {
                throw new IllegalStateException("no entry matched");
            }
            return pattern;
        }

        /** The deciding entry as written, for {@code Decision.rule}; "" when none matched. */
        public String rule() {
            return pattern == null ? "" : pattern.text();
        }

        /** {@code "allow"}, {@code "deny"}, or "" when none matched. */
        public String list() {
            return list;
        }

        /** The entry's position in its list, from 0; -1 when none matched. */
        public int index() {
            return index;
        }

        int id() {
            return id;
        }

        /** How advice names the entry: "`.example.com` (allow entry 3)". */
        String describe() {
            return "`" + pattern().text().trim() + "` (" + list + " entry " + (index + 1) + ")";
        }

        @Override
        public String toString() {
            return pattern == null ? "no match" : list + "[" + index + "]=" + pattern.text();
        }
    }
}
