package io.sekisho.policy.signin;

import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;
import io.sekisho.policy.aws.credentials.AccountResolver;
import io.sekisho.policy.aws.wire.JsonDocument;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Sign-In service's OAuth token endpoint (issue 15 point 1; docs/aws-policy.md "OAuth
 * sign-in"). Every 2xx response to {@code POST /v1/token} is read before it reaches the client:
 * <ul>
 *   <li>{@code <region>.signin.aws.amazon.com} (CreateOAuth2Token, unsigned, {@code aws login}):
 *       {@code {accessToken:{accessKeyId,…}, tokenType, expiresIn, refreshToken, idToken}};</li>
 *   <li>{@code <region>.oauth.signin.aws} (CreateOAuth2TokenWithIAM, SigV4,
 *       {@code ?x-amz-client-auth-method=iam}): {@code {access_token, token_type, expires_in}}.</li>
 * </ul>
 * The accounts it names are the {@code idToken}'s {@code sub} (the principal ARN; the CLI takes
 * the account from it), the access key ID's decoded account, and the {@code sub} of a JWT
 * access token [INF]. A JWT's payload is read, its signature is not verified: Sekisho holds no
 * key to verify it with, and a forged token would be refused by AWS anyway; what matters is
 * that a genuine token for a foreign account is not handed over. Every account must be allowed,
 * and at least one must be found (a WithIAM request's signer counts), or the response is
 * replaced by a deny. A bearer access token for an allowed account is recorded (its keyed hash)
 * so that {@link BearerProvenance} can allow it on other AWS hosts.
 */
final class OAuthTokens {
    static final String TOKEN_PATH = "/v1/token";
    /** {@code <region>.oauth.signin.aws} (endpoint-rule-set, IsOAuthEndpoint). */
    static final String OAUTH_SUFFIX = "oauth.signin.aws";
    /** A token response is about a kilobyte; the idToken is at most 4096 characters (service model). */
    static final int RESPONSE_LIMIT = 64 * 1024;
    /** CreateOAuth2TokenWithIAM: the access token lives at most an hour (API reference). */
    static final Duration MAX_BEARER_LIFETIME = Duration.ofHours(1);
    private static final String RULE = "aws.accounts.allow";
    /** camelCase on the wire per the service model's locationName; snake_case per the API reference's prose [INF]. */
    private static final String[] ID_TOKEN_MEMBERS = {"idToken", "id_token"};

    private final CompanyAccounts accounts;
    private final AccountResolver keys;
    private final SigninTokenStore tokens;
    private final Clock clock;

    OAuthTokens(CompanyAccounts accounts, AccountResolver keys, SigninTokenStore tokens, Clock clock) {
        this.accounts = accounts;
        this.keys = keys;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A token request: {@code POST /v1/token} to a console sign-in host or an OAuth host. */
    static boolean isTokenRequest(RequestFacts r) {
        try {
            if (!r.method().equalsIgnoreCase("POST") || !SigninRequest.normalisePath(r.path()).equals(TOKEN_PATH)) {
                return false;
            }
            return r.host().isWithin(OAUTH_SUFFIX) || SigninHosts.classify(r.host()).kind() == SigninHosts.Kind.SIGNIN;
        } catch (Rejection e) {
            return false;
        }
    }

    BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        return issues(request, decision, response) ? BodyNeed.whole(RESPONSE_LIMIT) : BodyNeed.NONE;
    }

    /** The response's verdict: the request's decision, or a deny that replaces the token. */
    Decision judge(RequestFacts request, Decision decision, ResponseFacts response) {
        if (!issues(request, decision, response)) {
            return decision;
        }
        Findings f = findings(request);
        try {
            Set<String> named = accountsOf(read(response), request, decision);
            for (String account : named) {
                f.principal(account);
                if (!accounts.isAllowed(account)) {
                    throw new Rejection(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, RULE, "token for a foreign account");
                }
            }
            return decision;
        } catch (Rejection r) {
            return f.deny(r);
        }
    }

    /** Records a bearer access token issued for an allowed account (after {@link #judge} let it through). */
    void learn(RequestFacts request, Decision decision, ResponseFacts response) {
        if (!issues(request, decision, response)) {
            return;
        }
        try {
            Map<String, Object> json = read(response);
            String bearer = JsonDocument.string(json, "access_token");
            Set<String> named = accountsOf(json, request, decision);
            if (bearer == null || bearer.isEmpty() || named.size() != 1) {
                return; // aws login's access token is a key pair, judged by its key wherever it is used
            }
            String account = named.iterator().next();
            if (!accounts.isAllowed(account)) {
                return;
            }
            Instant now = clock.instant();
            tokens.recordIssued(request.id(), SigninTokenHash.ofBearer(bearer),
                    new SigninTokenStore.IssuedToken(account, now, now.plus(lifetime(json))));
        } catch (Rejection e) {
            // nothing learned: the bearer token will be refused where it is presented
        }
    }

    private boolean issues(RequestFacts request, Decision decision, ResponseFacts response) {
        return !accounts.checksOff() && decision.allowed() && response.status() / 100 == 2 && isTokenRequest(request);
    }

    private static Map<String, Object> read(ResponseFacts response) throws Rejection {
        if (response.body() == null || !response.bodyComplete()) {
            throw new Rejection(Reason.BODY_TOO_LARGE_TO_INSPECT, "token response not read whole");
        }
        try {
            return JsonDocument.parseObject(TokenProvenance.decoded(response), Reason.BODY_MALFORMED);
        } catch (IOException e) {
            throw new Rejection(Reason.BODY_MALFORMED, "token response not decodable");
        }
    }

    /** Every account the response names; never empty (an unreadable token is refused). */
    private Set<String> accountsOf(Map<String, Object> json, RequestFacts request, Decision decision)
            throws Rejection {
        Set<String> found = new LinkedHashSet<>();
        for (String member : ID_TOKEN_MEMBERS) {
            Object v = json.get(member);
            if (v != null) {
                found.add(jwtAccount(v));
            }
        }
        String signer = decision.evidence().principalAccount();
        boolean withIam = request.host().isWithin(OAUTH_SUFFIX) && !signer.isEmpty();
        Object bearer = json.get("access_token");
        if (bearer != null) {
            try {
                found.add(jwtAccount(bearer));
            } catch (Rejection r) {
                if (!withIam) {
                    throw r; // [INF] the claim may differ: the SigV4 signer, already judged, still names it
                }
            }
        }
        Object access = json.get("accessToken");
        if (access instanceof Map<?, ?> keyPair) {
            keyAccount(keyPair.get("accessKeyId"), found);
        } else if (access != null) {
            found.add(jwtAccount(access));
        }
        if (found.isEmpty() && withIam) {
            found.add(signer); // WithIAM: the token is the SigV4 signer's, already judged
        }
        if (found.isEmpty()) {
            throw new Rejection(Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, "token response names no account");
        }
        return found;
    }

    /** aws login's access token is a key pair: its key ID names the account (decoded, or aws.keys). */
    private void keyAccount(@Nullable Object akid, Set<String> found) throws Rejection {
        if (akid instanceof String id && !id.isEmpty()) {
            AccountResolver.Resolution r = keys.resolve(id);
            if (!r.resolved()) {
                throw new Rejection(Reason.AWS_KEY_UNRESOLVABLE, "issued key's account unknown");
            }
            found.add(r.account());
        }
    }

    private static String jwtAccount(Object token) throws Rejection {
        if (!(token instanceof String jwt)) {
            throw new Rejection(Reason.BODY_MALFORMED, "token is not a string");
        }
        return CompanyAccounts.accountOfArn(Jwt.subject(jwt))
                .orElseThrow(() -> new Rejection(Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, "token subject is not an ARN"));
    }

    private static Duration lifetime(Map<String, Object> json) {
        Object v = json.containsKey("expires_in") ? json.get("expires_in") : json.get("expiresIn");
        if (v instanceof BigDecimal seconds && seconds.signum() > 0
                && seconds.compareTo(BigDecimal.valueOf(MAX_BEARER_LIFETIME.toSeconds())) < 0) {
            return Duration.ofSeconds(seconds.longValue());
        }
        return MAX_BEARER_LIFETIME;
    }

    private static Findings findings(RequestFacts request) {
        boolean iam = request.host().isWithin(OAUTH_SUFFIX);
        // The Sign-In API is restJson1 (service model): the deny is its AccessDeniedException.
        return new Findings(Evidence.builder().service("signin").flow("oauth").protocol(AwsProtocol.JSON)
                .action(iam ? "CreateOAuth2TokenWithIAM" : "CreateOAuth2Token"));
    }
}
