package io.sekisho.policy.signin;

import io.sekisho.policy.Rejection;
import io.sekisho.policy.Reason;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * IAM-user and root console sign-in (aws-wire-facts §4.3, §4.4).
 *
 * <p>IAM user: the sign-in page {@code <id-or-alias>.signin.aws.amazon.com} and the
 * credential post's {@code account} field name the account (so does console switch role). An
 * account ID must be allowed; an alias must be one the operator configured for an allowed
 * account — aliases are public and first come, first served, so an unconfigured alias is
 * unknown, never guessed.
 *
 * <p>Root: e-mail based, no account on the wire. Denied unless the e-mail is listed in
 * {@code aws.signin.root.allow}. How a root sign-in is recognised is a hypothesis, kept in
 * {@link InferredWire#rootAttempt}.
 */
final class AccountSigninRules {
    /** Console switch role ({@code signin.aws.amazon.com/switchrole?account=…&roleName=…}). */
    static final String SWITCH_ROLE_PATH = "/switchrole";
    /** Identity Center's own pages on the regional sign-in hosts (§3.1: {@code /platform/saml/…}). */
    static final String IDENTITY_CENTER_PATHS = "/platform/";

    private final CompanyAccounts accounts;
    private final Set<String> rootAllow;

    AccountSigninRules(CompanyAccounts accounts, List<String> rootSigninAllow) {
        this.accounts = accounts;
        this.rootAllow = rootSigninAllow.stream().map(e -> e.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    void checkIamUser(SigninRequest r, Findings f) throws Rejection {
        if (r.place.oddShape()) {
            f.flow("iam-user");
            throw new Rejection(Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, Rules.ALIASES, "sign-in host of an unknown shape");
        }
        if (!r.place.accountLabel().isEmpty()) {
            checkAccountRef(r.place.accountLabel(), "iam-user", f);
        }
        String field = r.params.single(InferredWire.ACCOUNT_FIELD);
        if (field != null && !field.isBlank()) {
            // Console "switch role" names the target account in the same field: a company
            // session must not switch into a role of an account outside the allowlist.
            checkAccountRef(field, r.path.equals(SWITCH_ROLE_PATH) ? "console" : "iam-user", f);
        }
    }

    private void checkAccountRef(String idOrAlias, String flow, Findings f) throws Rejection {
        f.flow(flow);
        Optional<String> id = accounts.resolve(idOrAlias);
        if (id.isEmpty()) {
            throw new Rejection(Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, Rules.ALIASES, "account alias not configured");
        }
        f.principal(id.get());
        if (!accounts.isAllowed(id.get())) {
            throw new Rejection(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, Rules.ACCOUNTS, "account not allowed");
        }
        f.decidedBy(Rules.ACCOUNTS);
    }

    void checkRoot(SigninRequest r, Findings f) throws Rejection {
        if (r.path.startsWith(IDENTITY_CENTER_PATHS)) {
            return; // Identity Center's service-provider pages: its users, not root users
        }
        Optional<InferredWire.RootAttempt> attempt = InferredWire.rootAttempt(r.params);
        if (attempt.isEmpty()) {
            return;
        }
        f.flow("root");
        String email = attempt.get().email();
        if (email.isEmpty() || !rootAllow.contains(email)) {
            throw new Rejection(Reason.AWS_ROOT_SIGNIN, Rules.ROOT, "root sign-in");
        }
        f.decidedBy(Rules.ROOT);
    }
}
