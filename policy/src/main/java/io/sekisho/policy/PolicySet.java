package io.sekisho.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The top-level policy and the {@code policies} entries, each compiled once (at load or reload)
 * into its own {@link Policy}. For each exchange the first entry, in file order, that
 * {@linkplain PolicyEntry#matches matches} its user and client address decides; with none, the
 * top level. Every decision is stamped with the {@link AppliedPolicy} that made it, for the audit
 * line. Choosing costs a walk over the entries and, per entry, a set lookup per group of the user
 * and a CIDR test per network: no allocation beyond the stamp.
 */
public final class PolicySet implements Policy {
    private final Policy top;
    private final AppliedPolicy topApplied;
    private final PolicyEntry[] entries;
    private final Policy[] policies;
    private final AppliedPolicy[] applied;

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
        for (int i = 0; i < n; i++) {
            Compiled c = entries.get(i);
            this.entries[i] = c.entry();
            this.policies[i] = c.policy();
            this.applied[i] = new AppliedPolicy(c.entry().name(), c.entry().settings().mode());
        }
    }

    @Override
    public Answer decide(Exchange exchange) {
        int i = select(exchange.identity(), exchange.clientAddress());
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

    private int select(Identity who, @Nullable InetAddress address) {
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].matches(who, address)) {
                return i;
            }
        }
        return -1;
    }
}
