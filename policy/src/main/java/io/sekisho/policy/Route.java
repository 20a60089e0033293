package io.sekisho.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Where a destination was found, for the check by address (STYLE.md rule 6).
 *
 * @param addresses every address the name resolved to (all are checked: one public and one
 *     private address is a rebinding attempt)
 * @param fromOverride the addresses came from {@code upstream.resolve}: the operator chose them
 * @param viaParent the connection goes through {@code upstream.parent}, which resolves: there is
 *     nothing to check here
 */
public record Route(List<InetAddress> addresses, boolean fromOverride, boolean viaParent) {
    public Route {
        addresses = List.copyOf(Objects.requireNonNull(addresses));
    }
}
