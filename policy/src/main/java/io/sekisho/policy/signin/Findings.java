package io.sekisho.policy.signin;

import io.sekisho.policy.Rejection;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Reason;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the sign-in rules learn about one request while they run: the accounts it names, the
 * flow, and the rule that allowed it. Every rule adds its evidence before it throws a
 * {@link Rejection}, so a deny carries the account that caused it. Request-scoped, one thread.
 */
final class Findings {
    private final Evidence.Builder evidence;
    private final Set<String> accounts = new LinkedHashSet<>();
    private String principal = "";
    private String rule = Rules.NONE;

    Findings(Evidence.Builder evidence) {
        this.evidence = evidence;
    }

    Evidence.Builder evidence() {
        return evidence;
    }

    /** The request names this account (a role offered, an account acted upon). */
    Findings account(String id) {
        accounts.add(id);
        return this;
    }

    /** The console session or credentials this request leads to belong to this account. */
    Findings principal(String id) {
        principal = id;
        accounts.add(id);
        return this;
    }

    Findings flow(String flow) {
        evidence.flow(flow);
        return this;
    }

    Findings action(String action) {
        evidence.action(action);
        return this;
    }

    /** The config entry that let this request through; the first one set wins. */
    Findings decidedBy(String r) {
        if (rule.isEmpty()) {
            rule = r;
        }
        return this;
    }

    Set<String> accounts() {
        return accounts;
    }

    Evidence build() {
        String p = principal.isEmpty() && accounts.size() == 1 ? accounts.iterator().next() : principal;
        return evidence.principalAccount(p).resourceAccounts(new ArrayList<>(accounts)).build();
    }

    Decision allow() {
        return Decision.allow(Reason.AWS_SIGNIN_ALLOWED, rule).withEvidence(build());
    }

    Decision deny(Rejection r) {
        return Decision.deny(r.reason(), r.rule()).withEvidence(build());
    }
}
