package io.sekisho.policy.signin;

import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.RequestInspector;
import io.sekisho.policy.ResponseFacts;
import io.sekisho.policy.aws.wire.JsonDocument;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * SSM Session Manager data channels (issue 15 point 2, docs/threat-model.md "SSM Session
 * Manager"). {@code StartSession} and {@code ResumeSession} are SigV4-signed JSON calls to
 * {@code ssm.<region>.amazonaws.com}, judged by the AWS inspector like any call; their response
 * {@code {"SessionId","StreamUrl","TokenValue"}} opens a WebSocket to the stream URL on
 * {@code ssmmessages.<region>.amazonaws.com} that carries no AWS credential at all: the token
 * travels inside it, in the first message (session-manager-plugin {@code OpenDataChannelInput}).
 * What Sekisho can see at the upgrade is the stream URL, so it learns the stream URLs that
 * responses to allowed accounts' calls issued (host and path, hashed like a sign-in token, with
 * {@link #LIFETIME}), and allows a data channel only to a learned one, once per issue:
 * SSM_SESSION_UNKNOWN otherwise, PROVENANCE_STORE_UNAVAILABLE when the shared store is away.
 * The store is the sign-in tokens' ({@link SigninTokenStore}); the keys cannot meet a sign-in
 * token's, because they hash a prefix no token has.
 */
public final class SsmDataChannels implements RequestInspector {
    /** [INF] StartSession's token "is valid only long enough to ensure the connection is successful" (API ref). */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    static final String RULE = "ssm.dataChannel";
    static final String FLOW = "ssm-data-channel";
    static final String DATA_CHANNEL_PATH = "/v1/data-channel/";
    /** The responses are a few hundred bytes of JSON. */
    static final int RESPONSE_LIMIT = 64 * 1024;
    static final List<String> ISSUING_TARGETS = List.of("AmazonSSM.StartSession", "AmazonSSM.ResumeSession");
    private static final String KEY_PREFIX = "ssm-data-channel\n";

    private final CompanyAccounts accounts;
    private final SigninTokenStore channels;
    private final Clock clock;

    public SsmDataChannels(AwsSettings settings, SigninTokenStore channels, Clock clock) {
        this.accounts = new CompanyAccounts(Objects.requireNonNull(settings));
        this.channels = Objects.requireNonNull(channels);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public boolean handles(HostClass hostClass, HostName host) {
        return hostClass == HostClass.AWS_API
                && (SsmHosts.isSsm(host.value()) || SsmHosts.isMessages(host.value()));
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass) {
        return BodyNeed.NONE;
    }

    /** A data channel needs a learned stream URL; anything else on these hosts is the AWS inspector's alone. */
    @Override
    public Decision decide(RequestFacts facts, HostClass hostClass) {
        if (!isDataChannel(facts) || accounts.checksOff()) {
            return Decision.allow(Reason.DOMAIN_ALLOWED, "");
        }
        Evidence.Builder ev = Evidence.builder().service("ssmmessages").flow(FLOW);
        Optional<SigninTokenStore.IssuedToken> issued;
        try {
            issued = channels.redeem(facts.id(), keyOf(facts.host().value(), facts.path()), clock.instant());
        } catch (SigninTokenStore.Unavailable e) {
            return Decision.deny(Reason.PROVENANCE_STORE_UNAVAILABLE, RULE).withEvidence(ev.build());
        }
        if (issued.isEmpty()) {
            return Decision.deny(Reason.SSM_SESSION_UNKNOWN, RULE).withEvidence(ev.build());
        }
        String account = issued.get().account();
        ev.principalAccount(account);
        if (!accounts.isAllowed(account)) { // the allowlist may have shrunk since
            return Decision.deny(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, RULE).withEvidence(ev.build());
        }
        return Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, RULE).withEvidence(ev.build());
    }

    @Override
    public boolean readsResponse(RequestFacts request) {
        return SsmHosts.isSsm(request.host().value()) && request.method().equals("POST")
                && issuingTarget(request);
    }

    @Override
    public BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        return response.status() == 200 && issuingAccount(request, decision).isPresent()
                ? BodyNeed.whole(RESPONSE_LIMIT) : BodyNeed.NONE;
    }

    /** Records the stream URL an allowed account's StartSession or ResumeSession response issued. */
    @Override
    public void onResponse(RequestFacts request, Decision decision, ResponseFacts response) {
        Optional<String> account = issuingAccount(request, decision);
        if (response.status() != 200 || response.body() == null || !response.bodyComplete() || account.isEmpty()) {
            return;
        }
        try {
            Map<String, Object> json =
                    JsonDocument.parseObject(TokenProvenance.decoded(response), Reason.BODY_MALFORMED);
            String sessionId = JsonDocument.string(json, "SessionId");
            String streamUrl = JsonDocument.string(json, "StreamUrl");
            if (sessionId == null || streamUrl == null) {
                return;
            }
            URI url = new URI(streamUrl);
            String host = url.getHost() == null ? "" : HostName.parse(url.getHost()).value();
            String path = url.getRawPath() == null ? "" : url.getRawPath();
            // The stream URL must be a data channel of the session the response names.
            if (!"wss".equalsIgnoreCase(url.getScheme()) || !SsmHosts.isMessages(host)
                    || !path.equals(DATA_CHANNEL_PATH + sessionId) || sessionId.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            channels.recordIssued(request.id(), keyOf(host, path),
                    new SigninTokenStore.IssuedToken(account.get(), now, now.plus(LIFETIME)));
        } catch (Rejection | IOException | URISyntaxException | IllegalArgumentException e) {
            // Nothing learned: the data channel will be refused, the fail-closed direction.
        }
    }

    /** The allowed account whose call this is: the AWS inspector's principal, when it really allowed the call. */
    private Optional<String> issuingAccount(RequestFacts request, Decision decision) {
        if (!readsResponse(request) || !decision.allowed() || decision.wouldDeny()) {
            return Optional.empty();
        }
        String principal = decision.evidence().principalAccount();
        return principal.isEmpty() || !accounts.isAllowed(principal) ? Optional.empty() : Optional.of(principal);
    }

    private static boolean issuingTarget(RequestFacts request) {
        List<String> targets = request.headers().getAll("X-Amz-Target");
        return targets.size() == 1 && ISSUING_TARGETS.contains(targets.get(0).strip());
    }

    static boolean isDataChannel(RequestFacts facts) {
        return SsmHosts.isMessages(facts.host().value()) && facts.path().startsWith(DATA_CHANNEL_PATH);
    }

    /** The store's key of a data channel: host and path, never the token (which the upgrade does not carry). */
    static SigninTokenHash keyOf(String host, String path) {
        return SigninTokenHash.of(KEY_PREFIX + host + path);
    }
}
