package io.sekisho.policy;

import io.sekisho.policy.aws.credentials.AccountResolver;
import io.sekisho.policy.aws.AwsApiInspector;
import io.sekisho.policy.aws.ClosedNetworkInspector;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.aws.sts.SessionNameInspector;
import io.sekisho.policy.aws.sts.SessionNameTemplate;
import io.sekisho.policy.signin.BearerProvenance;
import io.sekisho.policy.signin.SigninInspector;
import io.sekisho.policy.signin.SigninTokenStore;
import io.sekisho.policy.signin.SsmDataChannels;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The production decision engine: domain rules, the built-in AWS host catalog, and the
 * request inspectors (sign-in; AWS API, beside which the SSM data channel check adds its
 * evidence; the closed-network controls and the session-name rule, which only deny). The
 * sign-in inspector comes first because Identity Center's portal API and OIDC hosts
 * ({@code portal.sso.<region>.amazonaws.com}, {@code oidc.…}) sit under {@code amazonaws.com}
 * and must be judged on their sign-in evidence, not as API calls.
 *
 * <p>The token store and the key lookup outlive one engine: a reload builds a new engine
 * around the same ones, so sign-in tokens issued before a reload can still be redeemed.
 */
public final class StandardPolicy {
    private StandardPolicy() {
    }

    public static PolicyEngine create(
            PolicySettings settings, KeyLookup keyLookup, SigninTokenStore tokens, Clock clock) {
        AwsHostCatalog catalog = AwsHostCatalog.builtIn();
        AccountResolver resolver = new AccountResolver(settings.aws().staticKeys(), keyLookup);
        List<RequestInspector> inspectors = new ArrayList<>(List.of(
                new SigninInspector(settings.aws(), tokens, clock, resolver),
                new AwsApiInspector(settings.aws(), settings.inspectBodyBytes(), catalog, keyLookup,
                        new BearerProvenance(tokens, clock)),
                new SsmDataChannels(settings.aws(), tokens, clock),
                new ClosedNetworkInspector(settings.aws().controls(), settings.inspectBodyBytes(), catalog)));
        if (!settings.aws().roleSessionName().isEmpty()) {
            inspectors.add(new SessionNameInspector(SessionNameTemplate.parse(settings.aws().roleSessionName()),
                    settings.inspectBodyBytes(), catalog));
        }
        return new PolicyEngine(settings, catalog, inspectors);
    }

    /**
     * The top-level policy and one engine per {@code policies} entry, each built here once, so
     * that choosing among them per exchange costs no compilation.
     */
    public static PolicySet create(PolicySettings top, List<PolicyEntry> entries, KeyLookup keyLookup,
            SigninTokenStore tokens, Clock clock) {
        List<PolicySet.Compiled> compiled = new ArrayList<>(entries.size());
        for (PolicyEntry e : entries) {
            compiled.add(new PolicySet.Compiled(e, create(e.settings(), keyLookup, tokens, clock)));
        }
        return new PolicySet(create(top, keyLookup, tokens, clock), top.mode(), compiled);
    }
}
