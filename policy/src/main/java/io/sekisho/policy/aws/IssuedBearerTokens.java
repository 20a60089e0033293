package io.sekisho.policy.aws;

import io.sekisho.policy.Rejection;
import io.sekisho.policy.aws.wire.Text;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens this proxy saw AWS issue for an allowed account (issue 15 point 1): an OAuth
 * access token from the Sign-In service ({@code CreateOAuth2TokenWithIAM}), presented later to
 * another AWS host (the AWS MCP server, {@code aws-mcp.<region>.api.aws}). Such a token names no
 * account that can be read offline, so the only evidence is where it came from. The sign-in
 * package implements it over the token provenance store; the AWS inspector asks it for an
 * opaque bearer token before it refuses one.
 */
public interface IssuedBearerTokens {

    /** RFC 6750 §2.1; the scheme's name is case-insensitive (RFC 9110 §11.1). */
    String BEARER_SCHEME = "Bearer ";

    /** No provenance at all: every opaque bearer token stays refused. */
    IssuedBearerTokens NONE = (exchangeId, token) -> Optional.empty();

    /**
     * The account the token was issued for through this proxy, while it is valid; empty when it
     * is unknown or expired.
     *
     * @throws Rejection with {@code PROVENANCE_STORE_UNAVAILABLE} when a shared store's answer
     *     must first be fetched for this exchange (the conversation then asks the proxy for it)
     */
    Optional<String> accountOf(String exchangeId, String token) throws Rejection;

    /**
     * The account of a request's {@code Authorization: Bearer} token by provenance; "" when the
     * request carries no single bearer token or one this proxy did not see issued (two
     * Authorization headers, even the same one twice, name no account: the request is refused).
     *
     * @param authorization every Authorization value of the request
     */
    default String accountOfBearer(String exchangeId, List<String> authorization) throws Rejection {
        String value = authorization.size() == 1 ? authorization.get(0).strip() : "";
        if (!Text.startsWithIgnoreCase(value, 0, value.length(), BEARER_SCHEME)) {
            return "";
        }
        String token = value.substring(BEARER_SCHEME.length()).strip();
        return token.isEmpty() ? "" : accountOf(exchangeId, token).orElse("");
    }
}
