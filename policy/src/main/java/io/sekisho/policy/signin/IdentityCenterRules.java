package io.sekisho.policy.signin;

import io.sekisho.policy.Rejection;
import io.sekisho.policy.Reason;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IAM Identity Center (aws-wire-facts §3): the access portal, its API and OIDC.
 *
 * <ul>
 *   <li>Portal hosts: the request's instance ({@link PortalInstance}) must be one of
 *       {@code aws.identityCenter.startUrls}. A personal Identity Center has its own portal.</li>
 *   <li>{@code portal.sso.<region>.amazonaws.com}: an {@code account_id} parameter
 *       ({@code /federation/console}, {@code /federation/credentials}, {@code /assignment/roles})
 *       names the account whose role credentials or console session is asked for; it must be
 *       allowed. The bearer token cannot be attributed to an instance from the wire.</li>
 *   <li>{@code oidc.<region>.amazonaws.com}: {@code startUrl} ({@code /device_authorization},
 *       required) and {@code issuerUrl} ({@code /client/register}, optional) name the instance
 *       a CLI is signing in to. Other calls ({@code /token}, {@code /authorize}) name none; the
 *       client they use was registered, and the credentials they lead to are fetched, through
 *       calls checked here.</li>
 * </ul>
 */
final class IdentityCenterRules {
    static final String DEVICE_AUTHORIZATION = "/device_authorization";
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    private final CompanyAccounts accounts;
    private final PortalInstance instances;

    IdentityCenterRules(CompanyAccounts accounts, PortalInstance instances) {
        this.accounts = accounts;
        this.instances = instances;
    }

    void checkPortal(SigninRequest r, Findings f) throws Rejection {
        Optional<String> key = PortalInstance.keyOf(r.facts.host(), r.path);
        if (key.isPresent()) {
            requireInstance(key.get(), f);
        }
    }

    void checkPortalApi(SigninRequest r, Findings f) throws Rejection {
        f.action(r.path.substring(1));
        String account = r.params.single("account_id");
        if (account == null) {
            return; // /user, /instance/appinstances, /assignment/accounts, /logout: no account named
        }
        if (!ACCOUNT_ID.matcher(account.strip()).matches()) {
            throw new Rejection(Reason.BAD_REQUEST, "account_id is not an account ID");
        }
        f.principal(account.strip());
        if (!accounts.isAllowed(account.strip())) {
            throw new Rejection(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, Rules.ACCOUNTS, "account not allowed");
        }
        f.decidedBy(Rules.ACCOUNTS);
    }

    void checkOidc(SigninRequest r, Findings f) throws Rejection {
        f.action(r.path.substring(1));
        String startUrl = r.params.single("startUrl");
        String issuerUrl = r.params.single("issuerUrl");
        if (startUrl == null && r.path.equals(DEVICE_AUTHORIZATION) && r.isPost()) {
            throw new Rejection(Reason.BODY_MALFORMED, "StartDeviceAuthorization without a startUrl");
        }
        for (String url : new String[] {startUrl, issuerUrl}) {
            if (url == null) {
                continue;
            }
            Optional<String> key = PortalInstance.keyOfUrl(url);
            if (key.isEmpty()) {
                throw new Rejection(Reason.AWS_PORTAL_NOT_ALLOWED, Rules.START_URLS, "start URL names no instance");
            }
            requireInstance(key.get(), f);
        }
    }

    private void requireInstance(String key, Findings f) throws Rejection {
        f.evidence().identityCenterInstance(key);
        if (!instances.isAllowed(key)) {
            throw new Rejection(Reason.AWS_PORTAL_NOT_ALLOWED, Rules.START_URLS,
                    "Identity Center instance not allowed");
        }
        f.decidedBy(Rules.START_URLS);
    }
}
