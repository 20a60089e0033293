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
 * {@link InMemorySigninTokenStore} serves one proxy instance. A store shared by a group of
 * instances (proxy-core's, over Valkey or Redis) cannot answer on the request path without
 * blocking, so it answers through the policy conversation: the exchange-aware methods below
 * throw {@link Unavailable} when no answer is held for the exchange yet, the conversation asks
 * the proxy for {@link io.sekisho.policy.Need#PROVENANCE}, and the proxy fetches the answer
 * off the event loop before it asks again (docs/deployment.md).
 */
public interface SigninTokenStore {

    /**
     * As {@link #recordIssued(SigninTokenHash, IssuedToken)}, for the exchange whose response
     * issued the token: a shared store writes it asynchronously, and the proxy holds that
     * response back until the write is acknowledged.
     */
    default void recordIssued(String exchangeId, SigninTokenHash token, IssuedToken issued) {
        recordIssued(token, issued);
    }

    /**
     * As {@link #redeem(SigninTokenHash, Instant)}, for the exchange that presents the token.
     *
     * @throws Unavailable when the answer must first be fetched for this exchange, or the store
     *     could not give it
     */
    default Optional<IssuedToken> redeem(String exchangeId, SigninTokenHash token, Instant now) {
        return redeem(token, now);
    }

    /**
     * As {@link #lookup(SigninTokenHash, Instant)}, for the exchange that presents the token.
     *
     * @throws Unavailable when the answer must first be fetched for this exchange, or the store
     *     could not give it
     */
    default Optional<IssuedToken> lookup(String exchangeId, SigninTokenHash token, Instant now) {
        return lookup(token, now);
    }

    /**
     * What was recorded for a bearer token (an OAuth access token the Sign-In service issued),
     * without taking it out: such a token is presented on every call until it expires. Empty
     * when unknown or expired. A store that keeps no bearer tokens answers empty, and the
     * bearer token is then refused (fail closed).
     */
    default Optional<IssuedToken> lookup(SigninTokenHash token, Instant now) {
        return Optional.empty();
    }

    /** Remembers that {@code token} was issued for {@code issued.account()}, until {@code issued.expiresAt()}. */
    void recordIssued(SigninTokenHash token, IssuedToken issued);

    /**
     * Takes a token out of the store: a token is redeemed at most once. Returns what was
     * recorded when the token is known and {@code now} is before its expiry; empty when it is
     * unknown, expired or already redeemed.
     */
    Optional<IssuedToken> redeem(SigninTokenHash token, Instant now);

    /**
     * The store holds no answer for this exchange: not fetched yet, or the shared store could not
     * be reached. The decision that needs it is denied with {@code PROVENANCE_STORE_UNAVAILABLE}
     * unless the proxy can still fetch the answer.
     */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

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
