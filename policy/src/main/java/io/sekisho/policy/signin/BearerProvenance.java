package io.sekisho.policy.signin;

import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.aws.IssuedBearerTokens;
import java.time.Clock;
import java.util.Optional;

/**
 * {@link IssuedBearerTokens} over the token provenance store: a bearer token is known when
 * {@link OAuthTokens} recorded it, from a response that passed through this proxy for an
 * allowed account, and it has not expired. A shared store answers per exchange (see
 * {@link SigninTokenStore}); until it has, the request is denied with
 * {@code PROVENANCE_STORE_UNAVAILABLE}, on which the conversation asks the proxy to fetch it.
 */
public final class BearerProvenance implements IssuedBearerTokens {
    private final SigninTokenStore tokens;
    private final Clock clock;

    public BearerProvenance(SigninTokenStore tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public Optional<String> accountOf(String exchangeId, String token) throws Rejection {
        try {
            return tokens.lookup(exchangeId, SigninTokenHash.ofBearer(token), clock.instant())
                    .map(SigninTokenStore.IssuedToken::account);
        } catch (SigninTokenStore.Unavailable e) {
            throw new Rejection(Reason.PROVENANCE_STORE_UNAVAILABLE, Rules.TOKEN_PROVENANCE,
                    "token provenance store unavailable");
        }
    }
}
