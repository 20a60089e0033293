package io.sekisho.policy.signin;

import io.sekisho.policy.aws.wire.JsonDocument;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.ResponseFacts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Learns which console sign-in tokens AWS issued, through this proxy, for an allowed account
 * (issue 5 point 2). Two responses issue them:
 * <ul>
 *   <li>the portal API's {@code GET /federation/console?account_id=…} →
 *       {@code {"signInToken":…,"signInFederationLocation":…,"destination":…}} (§3.2);</li>
 *   <li>the federation endpoint's {@code Action=getSigninToken} →
 *       {@code {"SigninToken":"…"}} (§4.1).</li>
 * </ul>
 * The account is worked out again from the request here, not taken from the decision, and
 * only a decision that really allowed the request counts (a report-mode pass of a deny does
 * not). Anything unexpected means nothing is learned: the later login is then refused, which
 * is the fail-closed direction.
 */
final class TokenProvenance {
    /** Sign-in token responses are small JSON documents; a token is a few kilobytes at most. */
    static final int RESPONSE_LIMIT = 64 * 1024;
    private static final int INFLATED_LIMIT = 256 * 1024;
    private static final String PORTAL_CONSOLE_PATH = "/federation/console";
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    private final CompanyAccounts accounts;
    private final FederationRules federation;
    private final SigninTokenStore tokens;
    private final Clock clock;
    private final Duration lifetime;

    TokenProvenance(CompanyAccounts accounts, FederationRules federation, SigninTokenStore tokens, Clock clock,
            Duration lifetime) {
        this.accounts = accounts;
        this.federation = federation;
        this.tokens = tokens;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        if (response.status() != 200 || issuingAccount(request, decision).isEmpty()) {
            return BodyNeed.NONE;
        }
        return BodyNeed.whole(RESPONSE_LIMIT);
    }

    void learn(RequestFacts request, Decision decision, ResponseFacts response) {
        if (response.status() != 200 || response.body() == null || !response.bodyComplete()) {
            return;
        }
        Optional<String> account = issuingAccount(request, decision);
        if (account.isEmpty()) {
            return;
        }
        try {
            String text = decoded(response);
            Map<String, Object> json = JsonDocument.parseObject(text, Reason.BODY_MALFORMED);
            String token = JsonDocument.string(json, InferredWire.PORTAL_TOKEN_MEMBER);
            if (token == null) {
                token = JsonDocument.string(json, "SigninToken");
            }
            if (token == null || token.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            tokens.recordIssued(request.id(), SigninTokenHash.of(token),
                    new SigninTokenStore.IssuedToken(account.get(), now, now.plus(lifetime)));
        } catch (Rejection | IOException e) {
            // Nothing learned; the login with this token will be refused.
        }
    }

    /** The allowed account a response to this request issues a sign-in token for, if any. */
    Optional<String> issuingAccount(RequestFacts request, Decision decision) {
        if (!decision.allowed() || decision.wouldDeny()) {
            return Optional.empty();
        }
        SigninHosts.Place place = SigninHosts.classify(request.host());
        try {
            String account = null;
            if (place.kind() == SigninHosts.Kind.PORTAL_API && request.method().equalsIgnoreCase("GET")) {
                SigninRequest r = SigninRequest.read(request, place, false);
                String id = r.params.single("account_id");
                account = r.path.equals(PORTAL_CONSOLE_PATH) && id != null ? id.strip() : null;
            } else if (place.kind() == SigninHosts.Kind.SIGNIN) {
                SigninRequest r = SigninRequest.read(request, place, SigninRequest.hasBody(request.headers()));
                if (FederationRules.isTokenRequest(r) && !FederationRules.isLogin(r)) {
                    account = federation.sessionAccount(r.params, new Findings(Evidence.builder()));
                }
            }
            if (account == null || !ACCOUNT_ID.matcher(account).matches() || !accounts.isAllowed(account)) {
                return Optional.empty();
            }
            return Optional.of(account);
        } catch (Rejection e) {
            return Optional.empty();
        }
    }

    /** The body as text: identity, gzip or deflate (bounded); anything else is refused. */
    static String decoded(ResponseFacts response) throws IOException, Rejection {
        ByteBuffer b = Objects.requireNonNull(response.body(), "learn reads complete bodies only").duplicate();
        byte[] raw = new byte[b.remaining()];
        b.get(raw);
        String encoding = response.headers().get("Content-Encoding");
        String e = encoding == null ? "identity" : encoding.strip().toLowerCase(Locale.ROOT);
        switch (e) {
            case "identity":
            case "":
                return new String(raw, StandardCharsets.UTF_8);
            case "gzip":
            case "x-gzip":
                return inflate(new GZIPInputStream(new ByteArrayInputStream(raw)));
            case "deflate":
                return inflate(new InflaterInputStream(new ByteArrayInputStream(raw)));
            default:
                // br and others: the JDK cannot decode them; nothing is learned.
                throw new Rejection(Reason.BODY_MALFORMED, "response encoding not readable");
        }
    }

    /** Inflates at most INFLATED_LIMIT bytes: a compressed body must not become a memory bomb. */
    private static String inflate(InputStream in) throws IOException, Rejection {
        try (in) {
            byte[] out = in.readNBytes(INFLATED_LIMIT + 1);
            if (out.length > INFLATED_LIMIT) {
                throw new Rejection(Reason.BODY_TOO_LARGE_TO_INSPECT, "inflated response too large");
            }
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
