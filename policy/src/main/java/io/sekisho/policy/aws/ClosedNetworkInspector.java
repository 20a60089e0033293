package io.sekisho.policy.aws;

import io.sekisho.policy.AwsControls;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Headers;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.RequestInspector;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.catalog.HostMatch;
import io.sekisho.policy.aws.request.AwsCall;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;
import io.sekisho.policy.aws.wire.UndecodableBody;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The closed-network controls of Security-JAWS' SSM talk, which AWS offers as IAM conditions
 * on the company's own roles, applied at the proxy to the company's own credentials (issue 15
 * point 8): MFA for listed roles' AssumeRole ({@link AssumeRoleMfa}) and the documents, targets
 * and remote hosts of SSM StartSession ({@link StartSessionRules}). Registered after
 * {@link AwsApiInspector}, which judges the accounts of the same requests; this one only denies.
 *
 * <p>An STS call is one to a host whose service (or any label) is {@code sts}; a StartSession is
 * any AWS API request whose {@code X-Amz-Target} (any of them, case ignored) names it. Their
 * bodies are read whole; one that cannot be decoded or was cut is denied.
 */
public final class ClosedNetworkInspector implements RequestInspector {
    private final AssumeRoleMfa mfa;
    private final StartSessionRules sessions;
    private final int bodyLimit;
    private final AwsHostCatalog catalog;

    public ClosedNetworkInspector(AwsControls controls, int inspectBodyBytes, AwsHostCatalog catalog) {
        this.mfa = new AssumeRoleMfa(controls.mfaRoles());
        this.sessions = new StartSessionRules(controls);
        this.bodyLimit = inspectBodyBytes;
        this.catalog = Objects.requireNonNull(catalog);
    }

    private enum Call { NONE, STS, START_SESSION }

    @Override
    public boolean handles(HostClass hostClass, HostName host) {
        return (hostClass == HostClass.AWS_API || hostClass == HostClass.AWS_UNKNOWN)
                && !(mfa.isEmpty() && sessions.isEmpty());
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass) {
        return kind(facts) == Call.NONE ? BodyNeed.NONE : BodyNeed.whole(bodyLimit);
    }

    @Override
    public Decision decide(RequestFacts facts, HostClass hostClass) {
        try {
            Call kind = kind(facts);
            if (kind == Call.NONE) {
                return Decision.allow(Reason.DOMAIN_ALLOWED, "");
            }
            if (facts.body() != null && !facts.bodyComplete()) {
                return Decision.deny(Reason.BODY_TOO_LARGE_TO_INSPECT, "");
            }
            CharSequence body = body(facts);
            if (kind == Call.STS) {
                Reason r = mfa.judge(facts.query(), body);
                return r == null ? Decision.allow(Reason.DOMAIN_ALLOWED, "") : Decision.deny(r, AssumeRoleMfa.RULE);
            }
            if (body == null) {
                return Decision.deny(Reason.BODY_MALFORMED, "");
            }
            Reason r = sessions.judge(body);
            return r == null ? Decision.allow(Reason.DOMAIN_ALLOWED, "") : Decision.deny(r, StartSessionRules.rule(r));
        } catch (UndecodableBody e) {
            return Decision.deny(e.reason(), "");
        } catch (RuntimeException e) {
            return Decision.internalError();
        }
    }

    /** Trailers are {@link AwsApiInspector}'s to judge; this inspector adds nothing about them. */
    @Override
    public Decision onTrailers(RequestFacts facts, HostClass hostClass, Headers trailers) {
        return Decision.allow(Reason.DOMAIN_ALLOWED, "");
    }

    private Call kind(RequestFacts facts) {
        if (!sessions.isEmpty() && isStartSession(facts.headers().getAll("X-Amz-Target"))) {
            return Call.START_SESSION;
        }
        if (!mfa.isEmpty() && isSts(catalog.match(facts.host()), facts.host())) {
            return Call.STS;
        }
        return Call.NONE;
    }

    private static boolean isStartSession(List<String> targets) {
        for (String t : targets) {
            if (t.strip().equalsIgnoreCase(AwsWireFacts.SSM_START_SESSION_TARGET)) {
                return true;
            }
        }
        return false;
    }

    /** STS by the catalog's service, or by a label (VPC endpoint names: vpce-….sts.<region>.vpce…). */
    private static boolean isSts(HostMatch m, HostName host) {
        if (m.service().equals("sts")) {
            return true;
        }
        for (String label : host.value().split("\\.")) {
            if (label.equals("sts") || label.equals("sts-fips")) {
                return true;
            }
        }
        return false;
    }

    /** The body as text, content codings undone; the raw bytes when the plan would skip it. */
    private @Nullable CharSequence body(RequestFacts facts) throws UndecodableBody {
        ByteBuffer raw = facts.body();
        if (raw == null) {
            return null;
        }
        CharSequence text = new AwsCall(facts, catalog.match(facts.host())).readableBody(bodyLimit);
        return text != null ? text : Text.latin1(raw);
    }
}
