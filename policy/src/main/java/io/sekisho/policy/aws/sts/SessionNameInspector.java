package io.sekisho.policy.aws.sts;

import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Headers;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.RequestInspector;
import io.sekisho.policy.RequestMemo;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.request.AwsCall;
import io.sekisho.policy.aws.request.BodyPlan;
import io.sekisho.policy.aws.wire.UndecodableBody;
import java.util.Objects;

/**
 * {@code aws.sts.roleSessionName} (issue 11 point 6): an {@code sts:AssumeRole} through the proxy
 * must name the authenticated user as its {@code RoleSessionName}, so that CloudTrail names the
 * person behind every role session. Registered beside the AWS inspector only when the template is
 * set; it judges STS calls and adds nothing to others.
 *
 * <p>The parameters are read from the query string and the form body together (AWS reads both),
 * names and values percent-decoded, names compared without regard to case: a second
 * {@code RoleSessionName} (in either place, in any case or encoding), a second {@code Action}, or a
 * name that does not decode cannot be told apart from an attempt to show the proxy one name and
 * AWS another, and is denied as {@code AWS_SESSION_NAME_AMBIGUOUS}. An AssumeRole sent with
 * {@code X-Amz-Target} (a JSON protocol this proxy does not read for STS) is denied as a mismatch.
 * {@code AssumeRoleWithSAML} (its session name comes from the assertion the IdP signed) and
 * {@code AssumeRoleWithWebIdentity} (workloads with tokens from the company's IdP) are not
 * checked.
 */
public final class SessionNameInspector implements RequestInspector {
    static final String RULE = "aws.sts.roleSessionName";
    private static final String ASSUME_ROLE = "AssumeRole";

    private final SessionNameTemplate template;
    private final int bodyLimit;
    private final AwsHostCatalog catalog;

    public SessionNameInspector(SessionNameTemplate template, int inspectBodyBytes, AwsHostCatalog catalog) {
        this.template = Objects.requireNonNull(template);
        this.bodyLimit = inspectBodyBytes;
        this.catalog = Objects.requireNonNull(catalog);
    }

    @Override
    public boolean handles(HostClass hostClass, HostName host) {
        return hostClass == HostClass.AWS_API;
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass) {
        return bodyNeed(facts, hostClass, RequestMemo.NONE);
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass, RequestMemo memo) {
        try {
            AwsCall call = call(facts, memo);
            return sts(call) && call.plan == BodyPlan.FORM ? BodyNeed.whole(bodyLimit) : BodyNeed.NONE;
        } catch (RuntimeException e) {
            return BodyNeed.NONE; // decide() meets the same input and fails closed
        }
    }

    @Override
    public Decision decide(RequestFacts facts, HostClass hostClass) {
        return decide(facts, hostClass, RequestMemo.NONE);
    }

    @Override
    public Decision decide(RequestFacts facts, HostClass hostClass, RequestMemo memo) {
        try {
            AwsCall call = call(facts, memo);
            return sts(call) ? judge(call, memo.identity()) : pass();
        } catch (RuntimeException e) {
            return Decision.internalError();
        }
    }

    /** Trailers are the AWS inspector's to judge: this one has no say on them. */
    @Override
    public Decision onTrailers(RequestFacts facts, HostClass hostClass, Headers trailers) {
        return pass();
    }

    private Decision judge(AwsCall call, Identity who) {
        String target = call.target();
        if (target != null) {
            String op = target.substring(target.lastIndexOf('.') + 1).strip();
            return op.equalsIgnoreCase(ASSUME_ROLE) ? deny(Reason.AWS_SESSION_NAME_MISMATCH, call) : pass();
        }
        CharSequence body;
        try {
            body = call.plan == BodyPlan.FORM ? call.readableBody(bodyLimit) : null;
        } catch (UndecodableBody e) {
            return deny(e.reason(), call);
        }
        StsParams p = StsParams.read(call.facts().query(), body);
        if (!p.assumeRole()) {
            return p.malformed() || p.actions() > 1 ? deny(Reason.AWS_SESSION_NAME_AMBIGUOUS, call) : pass();
        }
        if (p.malformed() || p.actions() > 1 || p.sessionNames() > 1) {
            return deny(Reason.AWS_SESSION_NAME_AMBIGUOUS, call);
        }
        if (who.anonymous()) {
            return deny(Reason.AWS_SESSION_NAME_NO_USER, call);
        }
        @Nullable String sent = p.sessionName();
        return sent != null && template.accepts(who.user(), sent) ? pass()
                : deny(Reason.AWS_SESSION_NAME_MISMATCH, call);
    }

    private static boolean sts(AwsCall call) {
        return call.s3 == null && call.host.service().equals("sts");
    }

    private AwsCall call(RequestFacts facts, RequestMemo memo) {
        if (memo.state(this) instanceof AwsCall kept) {
            AwsCall call = kept.rebind(facts);
            if (call != null) {
                return call;
            }
        }
        AwsCall call = new AwsCall(facts, catalog.match(facts.host()));
        memo.keep(this, call);
        return call;
    }

    private static Decision pass() {
        return Decision.allow(Reason.DOMAIN_ALLOWED, "");
    }

    private static Decision deny(Reason reason, AwsCall call) {
        Evidence ev = Evidence.builder().service("sts").region(call.host.region()).action("sts:AssumeRole")
                .protocol(call.target() != null ? call.protocol("sts") : AwsProtocol.QUERY).build();
        return Decision.deny(reason, RULE).withEvidence(ev);
    }
}
