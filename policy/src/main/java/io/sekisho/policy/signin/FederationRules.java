package io.sekisho.policy.signin;

import io.sekisho.policy.aws.wire.JsonDocument;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.aws.credentials.AccountResolver;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The federation endpoint (aws-wire-facts §4.1) and access keys on sign-in hosts.
 *
 * <ul>
 *   <li>{@code Action=getSigninToken&Session={"sessionId":"<AKID>",…}}: the console session
 *       about to be created belongs to the key's account, which must be allowed.</li>
 *   <li>{@code Action=login&SigninToken=…}: allowed only when the token store holds the token
 *       as issued, through this proxy, for an allowed account (token provenance); the token is
 *       then used up. A sign-in URL made elsewhere — with personal credentials at home, or
 *       copied from another machine — is unknown here and denied.</li>
 * </ul>
 *
 * <p>{@code SigninToken} and {@code Action=getSigninToken} are recognised on any path of a
 * sign-in host; {@code Action=login}, a bare {@code Session} and any other action only on
 * {@code /federation}, where anything else is refused rather than guessed at.
 */
final class FederationRules {
    static final String PATH = "/federation";
    static final String GET_SIGNIN_TOKEN = "getSigninToken";
    static final String LOGIN = "login";

    /** {@code Credential=<AKID>/<date>/…} in a SigV4 or SigV4a Authorization header. */
    private static final Pattern SIGV4_CREDENTIAL =
            Pattern.compile("AWS4-(?:HMAC-SHA256|ECDSA-P256-SHA256)\\s.*?Credential=([A-Za-z0-9]+)/");

    private final CompanyAccounts accounts;
    private final AccountResolver keys;
    private final SigninTokenStore tokens;
    private final Clock clock;

    FederationRules(CompanyAccounts accounts, AccountResolver keys, SigninTokenStore tokens, Clock clock) {
        this.accounts = accounts;
        this.keys = keys;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Checks the request if it is a federation call; does nothing otherwise. */
    void check(SigninRequest r, Findings f) throws Rejection {
        boolean wantsToken = isTokenRequest(r);
        boolean login = isLogin(r);
        if (!wantsToken && !login) {
            if (r.path.equals(PATH)) {
                f.flow("federation");
                throw new Rejection(Reason.BAD_REQUEST, "not a federation action Sekisho knows");
            }
            return;
        }
        f.flow("federation");
        if (wantsToken && login) {
            throw new Rejection(Reason.AWS_CREDENTIAL_CONFLICT, "both a session and a sign-in token");
        }
        if (wantsToken) {
            f.action(GET_SIGNIN_TOKEN);
            String account = sessionAccount(r.params, f);
            f.principal(account);
            requireAllowed(account);
        } else {
            f.action(LOGIN);
            redeem(r.facts.id(), r.params, f);
        }
        f.decidedBy(Rules.ACCOUNTS);
    }

    /** {@code Action=getSigninToken} anywhere, or a {@code Session} on the federation path. */
    static boolean isTokenRequest(SigninRequest r) throws Rejection {
        return is(r.params.single("Action"), GET_SIGNIN_TOKEN) || (r.path.equals(PATH) && r.params.has("Session"));
    }

    /** A {@code SigninToken} anywhere, or {@code Action=login} on the federation path. */
    static boolean isLogin(SigninRequest r) throws Rejection {
        return r.params.has("SigninToken") || (r.path.equals(PATH) && is(r.params.single("Action"), LOGIN));
    }

    /**
     * The account of a {@code getSigninToken} request's session key.
     *
     * @throws Rejection AWS_CREDENTIAL_MALFORMED without a readable session key,
     *     AWS_KEY_UNRESOLVABLE when the key does not resolve. {@code aws.unresolvableKeys: allow}
     *     does not apply here: a console session key is a temporary new-format key, and a
     *     session Sekisho cannot attribute could not be tied to its login token anyway.
     */
    String sessionAccount(Params params, Findings f) throws Rejection {
        String session = params.single("Session");
        if (session == null || session.isBlank()) {
            throw new Rejection(Reason.AWS_CREDENTIAL_MALFORMED, "getSigninToken without a Session");
        }
        Map<String, Object> json = JsonDocument.parseObject(session, Reason.AWS_CREDENTIAL_MALFORMED);
        String akid = JsonDocument.string(json, "sessionId");
        if (akid == null || akid.isBlank()) {
            throw new Rejection(Reason.AWS_CREDENTIAL_MALFORMED, "Session without a sessionId");
        }
        return keyAccount(akid.strip(), f);
    }

    /** A SigV4 credential on a sign-in, portal or OIDC host must be the company's too. */
    void checkSignature(SigninRequest r, Findings f) throws Rejection {
        String akid = null;
        String auth = r.facts.headers().get("Authorization");
        if (auth != null) {
            Matcher m = SIGV4_CREDENTIAL.matcher(auth);
            if (m.find()) {
                akid = m.group(1);
            }
        }
        String q = r.params.single("X-Amz-Credential");
        if (q != null) {
            String k = q.contains("/") ? q.substring(0, q.indexOf('/')) : q;
            if (akid != null && !akid.equals(k)) {
                throw new Rejection(Reason.AWS_CREDENTIAL_CONFLICT, "two different signing keys");
            }
            akid = k;
        }
        if (akid != null) {
            f.evidence().signing(auth != null && q == null ? "sigv4-header" : "sigv4-query");
            String account = keyAccount(akid, f);
            f.principal(account);
            requireAllowed(account);
            f.decidedBy(Rules.ACCOUNTS);
        }
    }

    private String keyAccount(String akid, Findings f) throws Rejection {
        f.evidence().accessKeyIdMasked(mask(akid)).keyType(keyType(akid));
        AccountResolver.Resolution account = keys.resolve(akid);
        if (!account.resolved()) {
            throw new Rejection(Reason.AWS_KEY_UNRESOLVABLE, Rules.KEYS,
                    "access key ID does not resolve to an account");
        }
        return account.account();
    }

    private void redeem(String exchangeId, Params params, Findings f) throws Rejection {
        String token = params.single("SigninToken");
        if (token == null || token.isEmpty()) {
            throw new Rejection(Reason.AWS_SIGNIN_TOKEN_UNKNOWN, Rules.TOKEN_PROVENANCE, "login without a SigninToken");
        }
        Optional<SigninTokenStore.IssuedToken> issued;
        try {
            issued = tokens.redeem(exchangeId, SigninTokenHash.of(token), clock.instant());
        } catch (SigninTokenStore.Unavailable e) {
            throw new Rejection(Reason.PROVENANCE_STORE_UNAVAILABLE, Rules.TOKEN_PROVENANCE,
                    "the shared sign-in token store did not answer");
        }
        if (issued.isEmpty()) {
            throw new Rejection(Reason.AWS_SIGNIN_TOKEN_UNKNOWN, Rules.TOKEN_PROVENANCE,
                    "sign-in token not issued through this proxy, expired, or already used");
        }
        f.principal(issued.get().account());
        requireAllowed(issued.get().account()); // the allowlist may have shrunk since
    }

    private void requireAllowed(String account) throws Rejection {
        if (!accounts.isAllowed(account)) {
            throw new Rejection(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, Rules.ACCOUNTS, "account not allowed");
        }
    }

    private static boolean is(@Nullable String action, String expected) {
        return action != null && action.strip().equalsIgnoreCase(expected);
    }

    /** First four and last four characters, as Evidence requires ({@code ASIA…VV7A}). */
    static String mask(String akid) {
        return akid.length() < 12 ? "…" : akid.substring(0, 4) + "…" + akid.substring(akid.length() - 4);
    }

    static String keyType(String akid) {
        if (akid.startsWith("ASIA")) {
            return "temporary";
        }
        return akid.startsWith("AKIA") ? "long-term" : "unknown";
    }
}
