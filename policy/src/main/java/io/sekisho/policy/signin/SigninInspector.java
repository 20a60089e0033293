package io.sekisho.policy.signin;

import io.sekisho.policy.Rejection;
import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Headers;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.RequestInspector;
import io.sekisho.policy.ResponseFacts;
import io.sekisho.policy.aws.credentials.AccountResolver;
import io.sekisho.policy.aws.wire.Trailers;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Console sign-in, IAM Identity Center and console requests (issue 5): the flows a domain
 * allowlist cannot tell apart, because every AWS account signs in through the same host
 * names. Sekisho lets those hosts through and decides per request on the account evidence:
 *
 * <table>
 *   <caption>What is checked where</caption>
 *   <tr><th>Host</th><th>Evidence</th><th>Deny reason</th></tr>
 *   <tr><td>portal ({@code *.awsapps.com}, {@code *.app.aws}, issuer)</td>
 *       <td>instance in host/path</td><td>AWS_PORTAL_NOT_ALLOWED</td></tr>
 *   <tr><td>{@code portal.sso.<region>…}</td><td>{@code account_id}</td>
 *       <td>AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED</td></tr>
 *   <tr><td>{@code oidc.<region>…}</td><td>{@code startUrl}, {@code issuerUrl}</td>
 *       <td>AWS_PORTAL_NOT_ALLOWED</td></tr>
 *   <tr><td>sign-in hosts</td><td>federation session key and token provenance, SAML Role
 *       ARNs, account ID/alias, root e-mail</td><td>…_NOT_ALLOWED, AWS_SIGNIN_TOKEN_UNKNOWN,
 *       AWS_SAML_MALFORMED, AWS_SIGNIN_ACCOUNT_UNKNOWN, AWS_ROOT_SIGNIN</td></tr>
 *   <tr><td>console hosts</td><td>{@code aws-userInfo} cookie</td>
 *       <td>AWS_CONSOLE_SESSION_FOREIGN</td></tr>
 * </table>
 *
 * A request without account evidence (static pages, OAuth redirects, the portal's own
 * {@code /user} call) is allowed with AWS_SIGNIN_ALLOWED and no rule. A SigV4 credential on
 * any of these hosts must be the company's. Thread-safe; the only shared state is the token
 * store, which {@link #decide} uses (a login token is redeemed once) and {@link #onResponse}
 * fills.
 */
public final class SigninInspector implements RequestInspector {
    /** A federation sign-in URL is valid for 15 minutes (AWS IAM user guide, R19). */
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
    /** Largest sign-in request body read (a SAML response with many roles is tens of KiB). */
    public static final int SIGNIN_BODY_LIMIT = 256 * 1024;
    /** Largest OIDC request body read (a few hundred bytes in practice). */
    public static final int OIDC_BODY_LIMIT = 64 * 1024;

    private final CompanyAccounts accounts;
    private final IdentityCenterRules identityCenter;
    private final FederationRules federation;
    private final SamlRule saml;
    private final AccountSigninRules accountSignin;
    private final ConsoleRule console;
    private final TokenProvenance provenance;
    private final OAuthTokens oauth;

    /**
     * @param settings the {@code aws:} section: accounts with aliases, Identity Center start
     *     URLs, root sign-in allowlist
     * @param tokens where issued sign-in tokens are recorded and redeemed
     * @param clock the time for token expiry
     * @param keys access key ID → account, shared with the AWS API inspector
     * @throws IllegalArgumentException when a start URL names no Identity Center instance
     */
    public SigninInspector(AwsSettings settings, SigninTokenStore tokens, Clock clock, AccountResolver keys) {
        Objects.requireNonNull(settings);
        Objects.requireNonNull(tokens);
        Objects.requireNonNull(clock);
        Objects.requireNonNull(keys);
        this.accounts = new CompanyAccounts(settings);
        this.identityCenter = new IdentityCenterRules(accounts,
                PortalInstance.allowing(settings.identityCenterStartUrls()));
        this.federation = new FederationRules(accounts, keys, tokens, clock);
        this.saml = new SamlRule(accounts);
        this.accountSignin = new AccountSigninRules(accounts, settings.rootSigninAllow());
        this.console = new ConsoleRule(accounts);
        this.provenance = new TokenProvenance(accounts, federation, tokens, clock, TOKEN_LIFETIME);
        this.oauth = new OAuthTokens(accounts, keys, tokens, clock);
    }

    /**
     * True when {@code startUrl} names an Identity Center instance, i.e. is acceptable in
     * {@code aws.identityCenter.startUrls}; for the config loader's validation.
     */
    public static boolean namesIdentityCenterInstance(String startUrl) {
        return PortalInstance.keyOfUrl(startUrl).isPresent();
    }

    /** A sign-in flow is judged by this inspector alone: its judgement redeems a token once. */
    @Override
    public boolean exclusive() {
        return true;
    }

    @Override
    public boolean handles(HostClass hostClass, HostName host) {
        return hostClass == HostClass.AWS_SIGNIN_CONSOLE
                || SigninHosts.classify(host).kind() != SigninHosts.Kind.OTHER;
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass) {
        if (accounts.checksOff() || !SigninRequest.hasBody(facts.headers())) {
            return BodyNeed.NONE;
        }
        return switch (SigninHosts.classify(facts.host()).kind()) {
            case SIGNIN -> BodyNeed.whole(SIGNIN_BODY_LIMIT);
            case OIDC -> BodyNeed.whole(OIDC_BODY_LIMIT);
            default -> BodyNeed.NONE;
        };
    }

    @Override
    public Decision decide(RequestFacts facts, HostClass hostClass) {
        try {
            SigninHosts.Place place = SigninHosts.classify(facts.host());
            Findings f = new Findings(baseEvidence(place));
            if (accounts.checksOff()) {
                return f.decidedBy(Rules.CHECKS_OFF).allow();
            }
            try {
                if (place.kind() == SigninHosts.Kind.SIGNIN) {
                    flowFromPath(SigninRequest.normalisePath(facts.path()), f);
                }
                SigninRequest r = SigninRequest.read(facts, place, !bodyNeed(facts, hostClass).equals(BodyNeed.NONE));
                federation.checkSignature(r, f);
                check(r, f);
                return f.allow();
            } catch (Rejection e) {
                return f.deny(e);
            }
        } catch (RuntimeException e) {
            return Decision.internalError(); // fail closed; the caller logs the request
        }
    }

    private void check(SigninRequest r, Findings f) throws Rejection {
        switch (r.place.kind()) {
            case SIGNIN:
                accountSignin.checkIamUser(r, f);
                saml.check(r, f);
                federation.check(r, f);
                accountSignin.checkRoot(r, f);
                break;
            case PORTAL:
                identityCenter.checkPortal(r, f);
                break;
            case PORTAL_API:
                identityCenter.checkPortalApi(r, f);
                break;
            case OIDC:
                identityCenter.checkOidc(r, f);
                break;
            case CONSOLE:
                console.check(r, f);
                break;
            default:
                // IDC_SIGNIN, DEVICE and catalog hosts we have no rule for: no account on the wire.
                break;
        }
    }

    /**
     * The flow a sign-in page belongs to by its path, set before the body is read so that a
     * body Sekisho refuses is still logged under its flow. Rules overwrite it.
     */
    private static void flowFromPath(String path, Findings f) {
        if (path.equals(FederationRules.PATH)) {
            f.flow("federation");
        } else if (SamlRule.isConsoleEndpoint(path)) {
            f.flow("saml");
        }
    }

    private static Evidence.Builder baseEvidence(SigninHosts.Place place) {
        Evidence.Builder b = Evidence.builder().region(place.region());
        return switch (place.kind()) {
            case SIGNIN -> b.service("signin");
            case IDC_SIGNIN, PORTAL -> b.service("identitycenter").flow("portal");
            case PORTAL_API -> b.service("sso").flow("portal").protocol(AwsProtocol.JSON);
            case OIDC -> b.service("sso-oauth").flow("oidc").protocol(AwsProtocol.JSON);
            case DEVICE -> b.service("sso-oauth").flow("oidc");
            case CONSOLE -> b.service("console").flow("console");
            case OTHER -> b;
        };
    }

    /**
     * True when the response to this request may issue a sign-in token that {@link #onResponse}
     * must read: the portal's {@code GET /federation/console}, requests to the federation
     * endpoint, a {@code getSigninToken} on any path of a sign-in host (every request whose
     * response {@link TokenProvenance} learns from), and OAuth token requests. Decided before the
     * request is sent (from its line, and its body when the policy read it), so that proxy-core can
     * limit {@code Accept-Encoding} to what the JDK decodes ({@code gzip, deflate}): a brotli
     * token response cannot be read, and the login that follows would be refused.
     */
    public boolean readsResponseOf(RequestFacts request) {
        try {
            SigninHosts.Place place = SigninHosts.classify(request.host());
            String path = SigninRequest.normalisePath(request.path());
            return (place.kind() == SigninHosts.Kind.PORTAL_API && path.equals("/federation/console"))
                    || (place.kind() == SigninHosts.Kind.SIGNIN
                            && (path.equals(FederationRules.PATH) || issuesSigninToken(request, place)))
                    || OAuthTokens.isTokenRequest(request);
        } catch (Rejection | RuntimeException e) {
            return false;
        }
    }

    /**
     * A {@code getSigninToken} request on any path of a sign-in host, as {@link FederationRules}
     * recognises it: {@link TokenProvenance} learns from its response wherever it was sent.
     */
    private static boolean issuesSigninToken(RequestFacts request, SigninHosts.Place place) throws Rejection {
        SigninRequest r = SigninRequest.read(request, place, SigninRequest.hasBody(request.headers()));
        return FederationRules.isTokenRequest(r) && !FederationRules.isLogin(r);
    }

    /** Trailers follow the AWS API rule ({@link Trailers}): no credential, only the checksums. */
    @Override
    public Decision onTrailers(RequestFacts facts, HostClass hostClass, Headers trailers) {
        try {
            if (!accounts.checksOff()) {
                Trailers.check(trailers);
            }
            return Decision.allow(Reason.AWS_SIGNIN_ALLOWED, "");
        } catch (Rejection rejected) {
            return Decision.deny(rejected.reason(), rejected.rule());
        }
    }

    @Override
    public boolean readsResponse(RequestFacts request) {
        return readsResponseOf(request);
    }

    @Override
    public BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        try {
            BodyNeed token = oauth.responseBodyNeed(request, decision, response);
            return token.equals(BodyNeed.NONE) ? provenance.responseBodyNeed(request, decision, response) : token;
        } catch (RuntimeException e) {
            return BodyNeed.NONE;
        }
    }

    @Override
    public void onResponse(RequestFacts request, Decision decision, ResponseFacts response) {
        try {
            provenance.learn(request, decision, response);
            oauth.learn(request, decision, response);
        } catch (RuntimeException e) {
            // Never throws (Policy contract): nothing learned, the later login is refused.
        }
    }

    /** An OAuth token response for a foreign account is replaced by a deny ({@link OAuthTokens}). */
    @Override
    public Decision judgeResponse(RequestFacts request, Decision decision, ResponseFacts response) {
        try {
            return oauth.judge(request, decision, response);
        } catch (RuntimeException e) {
            return Decision.internalError(); // fail closed: the token does not reach the client
        }
    }
}
