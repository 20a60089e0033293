package io.sekisho.policy.signin;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Token provenance (issue 5 point 2): which console sign-in tokens this proxy saw AWS issue
 * for an allowed account. A {@code federation?Action=login&SigninToken=…} request is allowed
 * only when its token is here — that is what stops a sign-in URL minted at home, with
 * personal credentials, from being opened on a work terminal.
 *
 * <p>Implementations are thread-safe and never block for long: they are called on the request
 * path. They see only {@link SigninTokenHash}es, never tokens. The in-process
 * {@link InMemorySigninTokenStore} serves one proxy instance; a cluster needs either sticky
 * routing per client or a shared implementation of this interface (docs/identity-center.md).
 */
public interface SigninTokenStore {

    /** Remembers that {@code token} was issued for {@code issued.account()}, until {@code issued.expiresAt()}. */
    void recordIssued(SigninTokenHash token, IssuedToken issued);

    /**
     * Takes a token out of the store: a token is redeemed at most once. Returns what was
     * recorded when the token is known and {@code now} is before its expiry; empty when it is
     * unknown, expired or already redeemed.
     */
    Optional<IssuedToken> redeem(SigninTokenHash token, Instant now);

    /**
     * @param account the twelve-digit account the token signs in to
     * @param issuedAt when this proxy saw the token issued
     * @param expiresAt when the token stops being accepted by this proxy
     */
    record IssuedToken(String account, Instant issuedAt, Instant expiresAt) {
        public IssuedToken {
            Objects.requireNonNull(account);
            Objects.requireNonNull(issuedAt);
            Objects.requireNonNull(expiresAt);
            if (!issuedAt.isBefore(expiresAt)) {
                throw new IllegalArgumentException("a token must expire after it is issued");
            }
        }
    }
}
