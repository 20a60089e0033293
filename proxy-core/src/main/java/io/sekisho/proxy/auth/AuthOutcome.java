package io.sekisho.proxy.auth;

import io.sekisho.policy.Decision;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;

/**
 * What authentication of one request or CONNECT found: an identity, or a denial with its own
 * reason (STYLE.md rule 3: never a bare boolean).
 *
 * @param identity the authenticated user; {@link Identity#ANONYMOUS} when denied
 * @param denial null when authenticated
 */
public record AuthOutcome(Identity identity, @Nullable Decision denial) {
    static AuthOutcome allowed(Identity identity) {
        return new AuthOutcome(identity, null);
    }

    public static AuthOutcome denied(Reason reason) {
        return new AuthOutcome(Identity.ANONYMOUS, Decision.deny(reason, "auth"));
    }
}
