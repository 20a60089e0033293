package io.sekisho.policy;

import io.sekisho.policy.aws.credentials.AccountResolver;
import io.sekisho.policy.aws.AwsApiInspector;
import io.sekisho.policy.aws.ClosedNetworkInspector;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.KeyLookup;
import io.sekisho.policy.signin.SigninInspector;
import io.sekisho.policy.signin.SigninTokenStore;
import java.time.Clock;
import java.util.List;

/**
 * The production decision engine: domain rules, the built-in AWS host catalog, and the
 * request inspectors (sign-in; AWS API; the closed-network controls, which only deny). The
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
        List<RequestInspector> inspectors = List.of(
                new SigninInspector(settings.aws(), tokens, clock, resolver),
                new AwsApiInspector(settings.aws(), settings.inspectBodyBytes(), catalog, keyLookup),
                new ClosedNetworkInspector(settings.aws().controls(), settings.inspectBodyBytes(), catalog));
        return new PolicyEngine(settings, catalog, inspectors);
    }
}
