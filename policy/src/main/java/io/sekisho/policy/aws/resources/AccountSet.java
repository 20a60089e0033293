package io.sekisho.policy.aws.resources;

import io.sekisho.policy.aws.credentials.AccessKeys;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;
import java.util.Arrays;
import java.util.List;

/**
 * The distinct resource accounts found in one request, bounded: a request that names more
 * accounts than any real call does is reported as overflowing (and then denied) rather than
 * scanned without end. "*" stands for "everyone" (a public share).
 */
public final class AccountSet {
    static final String EVERYONE = "*";

    private static final String[] NONE = new String[0];

    /** Grown on demand: most requests name no resource account at all. */
    private String[] accounts = NONE;
    private int size;
    private boolean overflow;

    /** Adds {@code s[from, to)}, which the caller has checked is twelve digits or "*". */
    public void add(CharSequence s, int from, int to) {
        for (int i = 0; i < size; i++) {
            if (Text.equals(s, from, to, accounts[i])) {
                return;
            }
        }
        if (size == AwsWireFacts.MAX_RESOURCE_ACCOUNTS) {
            overflow = true;
            return;
        }
        if (size == accounts.length) {
            accounts = Arrays.copyOf(accounts, Math.min(AwsWireFacts.MAX_RESOURCE_ACCOUNTS, Math.max(2, size * 2)));
        }
        accounts[size++] = Text.slice(s, from, to);
    }

    public void add(String account) {
        add(account, 0, account.length());
    }

    /** Adds {@code s[from, to)} if it is an account ID; true when it was one. */
    boolean addIfAccount(CharSequence s, int from, int to) {
        if (AccessKeys.isAccountId(s, from, to)) {
            add(s, from, to);
            return true;
        }
        return false;
    }

    public void addAll(AccountSet other) {
        for (int i = 0; i < other.size; i++) {
            add(other.accounts[i]);
        }
        overflow |= other.overflow;
    }

    boolean isEmpty() {
        return size == 0;
    }

    public boolean overflow() {
        return overflow;
    }

    int size() {
        return size;
    }

    String get(int i) {
        return accounts[i];
    }

    /** The accounts, sorted, for the evidence. */
    public List<String> toList() {
        if (size == 0) {
            return List.of();
        }
        if (size == 1) {
            return List.of(accounts[0]);
        }
        String[] copy = Arrays.copyOf(accounts, size);
        Arrays.sort(copy);
        return List.of(copy);
    }
}
