package io.sekisho.policy.domain;

import io.sekisho.policy.Nullable;
import java.util.Map;

/**
 * An open-addressing hash table from a domain name to the entries keyed by it, that can be
 * probed with a suffix of a longer name without cutting the suffix out: the hash is computed
 * from the last character backwards, so a caller walking a host name right to left extends
 * one running hash and probes at each label boundary. No lookup allocates.
 */
final class NameTable {

    /** The entries keyed by one name, each array best first; null where there are none. */
    static final class Slot {
        final @Nullable DomainRules.Match[] exact;
        final @Nullable DomainRules.Match[] subdomains;
        final @Nullable DomainRules.Match[] apexAndSubdomains;

        Slot(@Nullable DomainRules.Match[] exact, @Nullable DomainRules.Match[] subdomains,
                @Nullable DomainRules.Match[] apexAndSubdomains) {
            this.exact = exact;
            this.subdomains = subdomains;
            this.apexAndSubdomains = apexAndSubdomains;
        }
    }

    private final String[] keys;
    private final Slot[] slots;
    private final int mask;

    NameTable(Map<String, Slot> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1)) << 1;
        keys = new String[capacity];
        slots = new Slot[capacity];
        mask = capacity - 1;
        for (Map.Entry<String, Slot> e : entries.entrySet()) {
            String k = e.getKey();
            int i = index(hash(k, 0));
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            slots[i] = e.getValue();
        }
    }

    /** The running hash of {@code s.substring(from)}, computed from the end backwards. */
    static int hash(String s, int from) {
        int h = 0;
        for (int i = s.length() - 1; i >= from; i--) {
            h = step(h, s.charAt(i));
        }
        return h;
    }

    /** Extends a running hash by the character to the left of what it covers. */
    static int step(int h, char c) {
        return 31 * h + c;
    }

    /** The slot keyed by {@code s.substring(from)}, whose {@link #hash} is {@code h}; or null. */
    @Nullable Slot get(String s, int from, int h) {
        int len = s.length() - from;
        for (int i = index(h); ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return null;
            }
            if (k.length() == len && s.regionMatches(from, k, 0, len)) {
                return slots[i];
            }
        }
    }

    private int index(int h) {
        int x = h * 0x9E3779B9;
        return (x ^ (x >>> 16)) & mask;
    }
}
