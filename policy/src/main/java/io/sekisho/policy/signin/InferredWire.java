package io.sekisho.policy.signin;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every undocumented sign-in wire detail this package relies on, in one place so that it can
 * be corrected when observed traffic disagrees. Each is tagged [INF] in aws-wire-facts (a
 * hypothesis from public tools and write-ups, not from AWS documentation); §8 lists the open
 * questions. Documented facts (the federation {@code Action}/{@code Session}/{@code SigninToken}
 * parameters, the SAML Role attribute) stay with the rules that use them.
 */
final class InferredWire {

    private InferredWire() {
    }

    // --- SAML (aws-wire-facts §4.2, open question 6) -------------------------------------

    /**
     * The role-chooser page's form posts the chosen role ARN back to {@code /saml} in this
     * field (radio inputs whose value is the role ARN, R30/R33). The field name is believed,
     * not confirmed.
     */
    static final String ROLE_CHOOSER_FIELD = "roleIndex";

    // --- IAM-user sign-in (§4.3) -----------------------------------------------------------

    /**
     * The credential post {@code POST /authenticate} carries the account ID or alias in this
     * form field, next to {@code action=iam-user-authentication} (public password-spray tools,
     * R31). Sekisho checks the field wherever it appears on a sign-in host.
     */
    static final String ACCOUNT_FIELD = "account";

    // --- Root sign-in (§4.4, open question 1) ----------------------------------------------

    /**
     * Root sign-in is e-mail based and no source shows its exact fields. Sekisho treats a
     * sign-in-host request as a root sign-in when any of these hold:
     * <ul>
     *   <li>it carries a non-empty {@code email} or {@code awsEmail} field (the e-mail step of
     *       the {@code /signin} page and the {@code action=authenticateRoot} post seen in a
     *       public traffic note; {@code awsEmail} in the Amazon-account-coupled root flow);</li>
     *   <li>its {@code action} field contains {@code root} (e.g. {@code authenticateRoot});</li>
     *   <li>it carries {@code coupled_root=true} (the return leg of the root flow that signs in
     *       through {@code www.amazon.com/ap/signin}, seen in public automation code).</li>
     * </ul>
     * Account sign-up on the sign-in host ({@code /signup}) asks for an e-mail too and is
     * caught by the first rule: a new account is signed in to as its root user.
     */
    static Optional<RootAttempt> rootAttempt(Params p) {
        String email = firstNonBlank(p, "email", "awsEmail");
        boolean rootAction = false;
        for (String a : p.all("action")) {
            rootAction |= a.toLowerCase(Locale.ROOT).contains("root");
        }
        boolean coupled = p.hasValue("coupled_root", "true");
        if (email.isEmpty() && !rootAction && !coupled) {
            return Optional.empty();
        }
        return Optional.of(new RootAttempt(email.toLowerCase(Locale.ROOT)));
    }

    /** @param email the lower-cased e-mail address, "" when the request does not show one */
    record RootAttempt(String email) {
    }

    private static String firstNonBlank(Params p, String... names) {
        for (String n : names) {
            for (String v : p.all(n)) {
                if (!v.isBlank()) {
                    return v.strip();
                }
            }
        }
        return "";
    }

    // --- Console session cookie (§4.5, open question 2) ------------------------------------

    /**
     * URL-encoded JSON with the signed-in principal's {@code arn}; observed in public cookie
     * dumps, undocumented, so only ever a reason to deny (defence in depth), never to allow.
     */
    static final String USER_INFO_COOKIE = "aws-userInfo";

    // --- Identity Center portal (§3.1, §3.2) -----------------------------------------------

    /**
     * GovCloud portals seen as {@code start.*.us-gov-home.awsapps.com} (R56): one host shared
     * by every directory, the directory named in the path ({@code /directory/d-…}).
     */
    static final Pattern SHARED_PORTAL_HOST = Pattern.compile("start(\\.[a-z0-9-]+)?\\.us-gov-home\\.awsapps\\.com");

    static final Pattern SHARED_PORTAL_PATH = Pattern.compile("/directory/(d-[0-9a-zA-Z]+)(/|$)");

    /**
     * The portal's {@code GET /federation/console} answers JSON with the token in this member
     * (browser-extension code, R28/R29); the federation endpoint's documented member is
     * {@code SigninToken}. Both are accepted wherever a token is learned.
     */
    static final String PORTAL_TOKEN_MEMBER = "signInToken";
}
