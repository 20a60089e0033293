package io.sekisho.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A hand-written {@link RequestInspector} for engine tests: handles one host class, decides by
 * the {@code X-Test-Account} header (the company account is 111122223333), asks for a
 * scripted body, and records what it learned from responses.
 */
final class ScriptedInspector implements RequestInspector {
    static final String COMPANY = "111122223333";

    private final HostClass handled;
    private final String rule;
    BodyNeed need = BodyNeed.NONE;
    BodyNeed responseNeed = BodyNeed.NONE;
    Function<RequestFacts, Decision> decider = ScriptedInspector::byAccountHeader;
    RuntimeException throwOnHandles;
    RuntimeException throwOnBodyNeed;
    RuntimeException throwOnResponse;
    final List<Integer> responsesSeen = new ArrayList<>();

    ScriptedInspector(HostClass handled, String rule) {
        this.handled = handled;
        this.rule = rule;
    }

    static Decision byAccountHeader(RequestFacts f) {
        String account = f.headers().get("X-Test-Account");
        Evidence e = Evidence.builder().principalAccount(account == null ? "" : account)
                .protocol(AwsProtocol.REST_XML).build();
        if (COMPANY.equals(account)) {
            return Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "aws.accounts.allow").withEvidence(e);
        }
        return Decision.deny(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "aws.accounts.allow").withEvidence(e);
    }

    @Override
    public boolean handles(HostClass hostClass, HostName host) {
        if (throwOnHandles != null) {
            throw throwOnHandles;
        }
        return hostClass == handled;
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass) {
        if (throwOnBodyNeed != null) {
            throw throwOnBodyNeed;
        }
        return need;
    }

    @Override
    public Decision decide(RequestFacts facts, HostClass hostClass) {
        Decision d = decider.apply(facts);
        return d == null ? null : new Decision(d.verdict(), d.reason(), d.rule().isEmpty() ? rule : d.rule(),
                d.wouldDeny(), d.intercept(), d.evidence());
    }

    @Override
    public BodyNeed responseBodyNeed(RequestFacts request, Decision decision, ResponseFacts response) {
        return responseNeed;
    }

    @Override
    public void onResponse(RequestFacts request, Decision decision, ResponseFacts response) {
        if (throwOnResponse != null) {
            throw throwOnResponse;
        }
        responsesSeen.add(response.status());
    }
}
