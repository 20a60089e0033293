package io.sekisho.policy;

import io.sekisho.policy.domain.DomainPattern;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One entry of {@code policies}: whom it applies to and the whole policy they get (the top level
 * with this entry's overrides already put in by the config loader).
 *
 * <p>An entry matches an exchange when both of its conditions hold: {@code groups} (when not
 * empty) names one of the user's groups, compared without regard to case, as LDAP and Active
 * Directory compare group names; {@code clients} (when not empty) holds the client's address.
 * An entry has at least one of the two.
 *
 * @param name the entry's name, written as the audit line's {@code policy}
 * @param groups {@code match.groups}, any of which selects the entry
 * @param clients {@code match.clients}: CIDR entries
 * @param settings the policy this entry's users get
 */
public record PolicyEntry(String name, Set<String> groups, List<DomainPattern> clients, PolicySettings settings) {

    public PolicyEntry {
        Objects.requireNonNull(name);
        // Case-insensitive without folding each of the user's groups on every request.
        TreeSet<String> folded = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        folded.addAll(groups);
        groups = Collections.unmodifiableSortedSet(folded);
        clients = List.copyOf(clients);
        Objects.requireNonNull(settings);
        if (groups.isEmpty() && clients.isEmpty()) {
            throw new IllegalArgumentException("a policy entry matches by groups, clients or both: " + name);
        }
        for (DomainPattern c : clients) {
            if (c.kind() != DomainPattern.Kind.CIDR) {
                throw new IllegalArgumentException("a client network is a CIDR: " + c);
            }
        }
    }

    /** True when this entry applies to {@code who} connecting from {@code address}. */
    public boolean matches(Identity who, @Nullable InetAddress address) {
        return (groups.isEmpty() || inGroups(who)) && inClients(address);
    }

    private boolean inGroups(Identity who) {
        for (String g : who.groups()) {
            if (groups.contains(g)) {
                return true;
            }
        }
        return false;
    }

    private boolean inClients(@Nullable InetAddress address) {
        return inClients(address == null ? null : DomainPattern.addressBytes(address));
    }

    /** {@code match.clients} alone, on {@link DomainPattern#addressBytes}: empty holds for every client. */
    boolean inClients(byte @Nullable [] address) {
        if (clients.isEmpty()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        for (DomainPattern c : clients) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
