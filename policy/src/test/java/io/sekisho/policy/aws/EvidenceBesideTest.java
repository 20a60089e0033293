package io.sekisho.policy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Answer;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Need;
import io.sekisho.policy.PolicyEngine;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.RequestInspector;
import io.sekisho.policy.Verdict;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.domain.DomainPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A second inspector registered beside {@link AwsApiInspector} adds its evidence to the same
 * AWS call (issue 10 point 5): the engine asks both, combines their evidence, and the first
 * deny wins, whichever inspector gave it. What each declares it needs (body, key lookups) is
 * asked for too.
 */
class EvidenceBesideTest {
    private static final String KMS = "awscli-v1/kms-encrypt--01.json";
    private static final String OTHER_ACCOUNT = "777766665555";

    /** A carrier the AWS inspector does not know: a header naming an account, as a new file would add. */
    private static final class HeaderCarrier implements RequestInspector {
        private final boolean deny;
        private final BodyNeed need;
        private final Optional<String> key;

        HeaderCarrier(boolean deny, BodyNeed need, Optional<String> key) {
            this.deny = deny;
            this.need = need;
            this.key = key;
        }

        @Override
        public boolean handles(HostClass hostClass, HostName host) {
            return hostClass == HostClass.AWS_API;
        }

        @Override
        public BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass) {
            return need;
        }

        @Override
        public Decision decide(RequestFacts facts, HostClass hostClass) {
            Evidence ev = Evidence.builder().flow("header-carrier").resourceAccounts(List.of(OTHER_ACCOUNT))
                    .build();
            return new Decision(deny ? Verdict.DENY : Verdict.ALLOW,
                    deny ? Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED : Reason.DOMAIN_ALLOWED, "carrier", false, false,
                    ev);
        }

        @Override
        public Optional<String> keyNeedingLookup(RequestFacts facts) {
            return key;
        }
    }

    private static PolicyEngine engine(RequestInspector... extra) {
        PolicySettings settings = new PolicySettings(io.sekisho.policy.Mode.ENFORCE,
                List.of(DomainPattern.parse(".amazonaws.com")), List.of(), Set.of(443), Set.of(80), List.of(), false,
                Settings.BODY_LIMIT, Settings.BASE);
        AwsHostCatalog catalog = AwsHostCatalog.builtIn();
        List<RequestInspector> inspectors = new ArrayList<>();
        inspectors.add(new AwsApiInspector(Settings.BASE, Settings.BODY_LIMIT, catalog, KeyLookup.NONE));
        inspectors.addAll(List.of(extra));
        return new PolicyEngine(settings, catalog, inspectors);
    }

    /** The gate's conversation for one intercepted request: head, then the body if asked for. */
    private static Answer converse(PolicyEngine engine, RequestFacts facts) {
        RequestFacts head = new RequestFacts(facts.id(), facts.client(), facts.method(), facts.scheme(),
                facts.host(), facts.port(), facts.path(), facts.query(), facts.headers(), null, false, facts.host());
        Decision tunnel = Decision.allow(Reason.DOMAIN_ALLOWED, ".amazonaws.com").withIntercept(true);
        Exchange x = Exchange.request(head, facts.body() != null && facts.body().hasRemaining(), false, tunnel);
        Answer a = engine.decide(x);
        if (a instanceof Need.RequestBody) {
            a = engine.decide(x.withRequestBody(facts.body(), facts.bodyComplete()));
        }
        return a;
    }

    @Test
    void bothInspectorsEvidenceIsCombinedOnAnAllow() {
        RequestFacts kms = CorpusFixture.named(KMS).facts();
        Decision alone = (Decision) converse(engine(), kms);
        Decision both = (Decision) converse(engine(new HeaderCarrier(false, BodyNeed.NONE, Optional.empty())), kms);

        assertThat(alone.reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
        assertThat(alone.evidence().flow()).isEmpty();
        assertThat(both.reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
        assertThat(both.evidence().principalAccount()).isEqualTo(alone.evidence().principalAccount()).isNotEmpty();
        assertThat(both.evidence().service()).isEqualTo("kms");
        assertThat(both.evidence().action()).isEqualTo(alone.evidence().action());
        assertThat(both.evidence().flow()).isEqualTo("header-carrier");
        assertThat(both.evidence().resourceAccounts())
                .containsAll(alone.evidence().resourceAccounts()).contains(OTHER_ACCOUNT);
    }

    @Test
    void theAddedInspectorsDenyWinsWithTheAwsEvidence() {
        RequestFacts kms = CorpusFixture.named(KMS).facts();
        Decision d = (Decision) converse(engine(new HeaderCarrier(true, BodyNeed.NONE, Optional.empty())), kms);

        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).isEqualTo(Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED);
        assertThat(d.rule()).isEqualTo("carrier");
        assertThat(d.evidence().service()).isEqualTo("kms");
        assertThat(d.evidence().principalAccount()).isNotEmpty();
        assertThat(d.evidence().flow()).isEqualTo("header-carrier");
    }

    @Test
    void whatTheAddedInspectorNeedsIsAskedFor() {
        RequestFacts f = CorpusFixture.named(KMS).facts();
        RequestFacts kms = new RequestFacts(f.id(), f.client(), f.method(), f.scheme(), f.host(), f.port(), f.path(),
                f.query(), f.headers(), f.body(), f.bodyComplete(), f.host());
        PolicyEngine engine = engine(new HeaderCarrier(false, BodyNeed.whole(Settings.BODY_LIMIT * 2),
                Optional.of("AKIAIOSFODNN7EXAMPLE")));

        // The larger need wins, clamped to what the engine lets an inspector see.
        assertThat(engine.bodyNeed(kms)).isEqualTo(BodyNeed.whole(Settings.BODY_LIMIT));
        assertThat(engine.keyNeedingLookup(kms)).contains("AKIAIOSFODNN7EXAMPLE");
    }
}
