package io.sekisho.policy.signin;

import io.sekisho.policy.Rejection;
import io.sekisho.policy.Reason;
import java.util.List;

/**
 * SAML 2.0 console federation (aws-wire-facts §4.2): {@code POST /saml} with a
 * {@code SAMLResponse} form field, on any sign-in host.
 *
 * <p>Two kinds of SAML post reach the sign-in hosts. IAM's console federation endpoint
 * ({@code /saml}, and {@code /saml/acs/<provider id>}) needs the Role attribute: there an
 * assertion without a readable Role value (an encrypted one included) cannot be checked and
 * is refused. Identity Center's own service provider, used with an external IdP
 * ({@code /platform/saml/acs/<id>}, aws-wire-facts §3.1), receives assertions without AWS
 * roles: those sign in to Identity Center only, whose portal is checked next, and are let
 * through. Any Role values an assertion does carry are checked wherever it is posted.
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
            if (isConsoleEndpoint(r.path) && r.isPost()) {
                f.flow("saml");
                throw malformed("POST /saml without a SAMLResponse");
            }
            return; // a GET of a SAML page (metadata) carries no account
        }
        f.flow("saml").action("saml");
        String assertion = r.params.single(FIELD);
        if (!hasAssertion || assertion == null) {
            throw malformed("role choice without an assertion");
        }
        List<SamlRoles.Role> roles = SamlRoles.read(assertion);
        if (roles.isEmpty()) {
            if (isConsoleEndpoint(r.path) || chosen != null) {
                throw malformed("no readable Role attribute in a console SAML response");
            }
            return; // Identity Center's service provider: no AWS account in the assertion
        }
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
                throw new Rejection(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, Rules.ACCOUNTS,
                        "SAML role in a foreign account");
            }
        }
        f.decidedBy(Rules.ACCOUNTS);
    }

    /** IAM's console SAML endpoint; {@code /saml/acs/<id>} is its per-provider form. */
    static boolean isConsoleEndpoint(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    private static Rejection malformed(String message) {
        return new Rejection(Reason.AWS_SAML_MALFORMED, message);
    }
}
