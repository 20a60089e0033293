package io.sekisho.policy;

import java.util.List;
import java.util.Objects;

/**
 * Who sent a request, as the proxy established it: once per CONNECT (for the whole tunnel) or
 * per absolute-form request. Immutable; {@link #ANONYMOUS} when {@code auth} is off.
 *
 * @param user the authenticated user name as the credential store spells it ("" when anonymous)
 * @param groups the user's groups, in the store's order (empty when none or anonymous)
 * @param scheme how the user proved it: "basic", "negotiate" ("" when anonymous)
 */
public record Identity(String user, List<String> groups, String scheme) {
    public static final Identity ANONYMOUS = new Identity("", List.of(), "");

    public Identity {
        Objects.requireNonNull(user);
        Objects.requireNonNull(scheme);
        groups = List.copyOf(groups);
    }

    public boolean anonymous() {
        return user.isEmpty();
    }
}
