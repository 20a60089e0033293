package io.sekisho.policy;

import io.sekisho.policy.domain.DomainPattern;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The top-level policy and the {@code policies} entries, each compiled once (at load or reload)
 * into its own {@link Policy}. For each exchange the first entry, in file order, that
 * {@linkplain PolicyEntry#matches matches} its user and client address decides; with none, the
 * top level. Every decision is stamped with the {@link AppliedPolicy} that made it, for the audit
 * line. Choosing costs one hash lookup per group of the user and a CIDR test per network of the
 * entries those groups (or no groups) select, once per exchange (kept in its memo); with no
 * entries, nothing.
 */
public final class PolicySet implements Policy {
    private final Policy top;
    private final AppliedPolicy topApplied;
    private final PolicyEntry[] entries;
    private final Policy[] policies;
    private final AppliedPolicy[] applied;
    /** Lower-case group name → the entries that name it, as a bit set over entry indexes. */
    private final Map<String, long[]> byGroup = new HashMap<>();
    /** The entries without {@code match.groups}: candidates for everyone. */
    private final long[] groupless;

    /** A compiled entry: its selection and the policy its users get. */
    public record Compiled(PolicyEntry entry, Policy policy) {
        public Compiled {
            Objects.requireNonNull(entry);
            Objects.requireNonNull(policy);
        }
    }

    /**
     * @param top the top-level policy, named {@link AppliedPolicy#DEFAULT_NAME}
     * @param topMode the top level's mode
     * @param entries the entries in file order
     */
    public PolicySet(Policy top, Mode topMode, List<Compiled> entries) {
        this.top = Objects.requireNonNull(top);
        this.topApplied = new AppliedPolicy(AppliedPolicy.DEFAULT_NAME, topMode);
        int n = entries.size();
        this.entries = new PolicyEntry[n];
        this.policies = new Policy[n];
        this.applied = new AppliedPolicy[n];
        this.groupless = new long[(n + 63) >>> 6];
        for (int i = 0; i < n; i++) {
            Compiled c = entries.get(i);
            this.entries[i] = c.entry();
            this.policies[i] = c.policy();
            this.applied[i] = new AppliedPolicy(c.entry().name(), c.entry().settings().mode());
            if (c.entry().groups().isEmpty()) {
                groupless[i >>> 6] |= 1L << i;
            }
            for (String g : c.entry().groups()) {
                long[] bits = byGroup.computeIfAbsent(g.toLowerCase(Locale.ROOT), k -> new long[groupless.length]);
                bits[i >>> 6] |= 1L << i;
            }
        }
    }

    @Override
    public Answer decide(Exchange exchange) {
        if (entries.length == 0) {
            // Only the top level: nothing to select, nothing to keep in the memo.
            Answer a = top.decide(exchange);
            return a instanceof Decision d ? d.by(topApplied) : a;
        }
        int i = selected(exchange);
        Policy p = i < 0 ? top : policies[i];
        Answer a = p.decide(exchange);
        return a instanceof Decision d ? d.by(i < 0 ? topApplied : applied[i]) : a;
    }

    /** The policy {@code who} gets from {@code address}: an entry's name, or {@code default}. */
    public AppliedPolicy applied(Identity who, @Nullable InetAddress address) {
        int i = select(who, address);
        return i < 0 ? topApplied : applied[i];
    }

    /** The entries' names, in file order. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (PolicyEntry e : entries) {
            out.add(e.name());
        }
        return out;
    }

    /**
     * The first entry for {@code who} from {@code address}, or -1: the entries whose groups the
     * user is in come from the index (one hash lookup per group of the user), then each such entry,
     * in file order, is tested on its networks.
     */
    private int select(Identity who, @Nullable InetAddress address) {
        if (entries.length == 0) {
            return -1;
        }
        long[] candidates = groupless.clone();
        List<String> groups = who.groups();
        for (int g = 0; g < groups.size(); g++) {
            long[] named = byGroup.get(groups.get(g).toLowerCase(Locale.ROOT));
            if (named != null) {
                for (int w = 0; w < named.length; w++) {
                    candidates[w] |= named[w];
                }
            }
        }
        byte[] bytes = address == null ? null : DomainPattern.addressBytes(address);
        for (int i = 0; i < entries.length; i++) {
            if ((candidates[i >>> 6] & (1L << i)) != 0 && entries[i].inClients(bytes)) {
                return i;
            }
        }
        return -1;
    }

    /** Chosen once per exchange: its phases are all judged by the same entry. */
    private int selected(Exchange x) {
        if (x.memo().state(this) instanceof Integer kept) {
            return kept;
        }
        int i = select(x.identity(), x.clientAddress());
        x.memo().keep(this, i);
        return i;
    }
}
