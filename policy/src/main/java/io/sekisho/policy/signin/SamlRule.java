package io.sekisho.policy.signin;

import io.sekisho.policy.Reason;
import java.util.List;

/**
 * SAML 2.0 console federation (aws-wire-facts §4.2): {@code POST /saml} with a
 * {@code SAMLResponse} form field, on any sign-in host.
 *
 * <p>Every account in the assertion's Role values must be allowed: an assertion offering a
 * foreign role next to company ones is refused whole, because the role-chooser page that
 * follows would let the user pick the foreign one. On the role-chooser post (the chosen role
 * ARN in {@link InferredWire#ROLE_CHOOSER_FIELD}), only the chosen role's account counts, and
 * the chosen role must be one the assertion offers.
 */
final class SamlRule {
    static final String PATH = "/saml";
    static final String FIELD = "SAMLResponse";

    private final CompanyAccounts accounts;

    SamlRule(CompanyAccounts accounts) {
        this.accounts = accounts;
    }

    /** Checks the request if it is a SAML post; does nothing otherwise. */
    void check(SigninRequest r, Findings f) throws Rejection {
        boolean hasAssertion = r.params.has(FIELD);
        String chosen = r.params.single(InferredWire.ROLE_CHOOSER_FIELD);
        if (!hasAssertion && chosen == null) {
            if (r.path.equals(PATH) && r.isPost()) {
                f.flow("saml");
                throw malformed("POST /saml without a SAMLResponse");
            }
            return; // a GET of a SAML page (metadata) carries no account
        }
        f.flow("saml").action("saml");
        if (!hasAssertion) {
            throw malformed("role choice without an assertion");
        }
        String assertion = r.params.single(FIELD);
        List<SamlRoles.Role> roles = SamlRoles.read(assertion);
        if (chosen != null) {
            SamlRoles.Role role = roles.stream().filter(x -> x.roleArn().equals(chosen.strip())).findFirst()
                    .orElseThrow(() -> malformed("chosen role is not offered by the assertion"));
            f.principal(role.account()).account(role.providerAccount());
        } else {
            for (SamlRoles.Role role : roles) {
                f.account(role.account()).account(role.providerAccount());
            }
        }
        for (String account : f.accounts()) {
            if (!accounts.isAllowed(account)) {
                throw new Rejection(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, Rules.ACCOUNTS, "SAML role in a foreign account");
            }
        }
        f.decidedBy(Rules.ACCOUNTS);
    }

    private static Rejection malformed(String message) {
        return new Rejection(Reason.AWS_SAML_MALFORMED, message);
    }
}
