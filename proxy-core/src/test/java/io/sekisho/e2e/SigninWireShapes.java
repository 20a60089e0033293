package io.sekisho.e2e;

/**
 * Every sign-in wire detail the fakes rely on, in one place, each with its source in
 * {@code shared/aws-wire-facts.md}. Those tagged [INF] are inferred or defined by us; if AWS is
 * shown to differ, correct them here (and in the proxy's own single place for them).
 */
public final class SigninWireShapes {

    /** §3.2: portal session cookie on the portal origin. */
    public static final String PORTAL_AUTH_COOKIE = "x-amz-sso_authn";
    /** §3.2: header the portal JS sends to portal.sso.&lt;region&gt;.amazonaws.com. */
    public static final String PORTAL_BEARER_HEADER = "x-amz-sso_bearer_token";

    /** §4.5 [INF]: cookie naming the signed-in principal (URL-encoded JSON with "arn"). */
    public static final String USER_INFO_COOKIE = "aws-userInfo";
    /** §4.5 [INF, open]: the domain shared by signin.* and console.* hosts. */
    public static final String CONSOLE_COOKIE_DOMAIN = ".aws.amazon.com";

    /** §4.3: credential POST of the IAM-user sign-in page. */
    public static final String AUTHENTICATE_URL = "https://signin.aws.amazon.com/authenticate";
    public static final String IAM_USER_ACTION = "iam-user-authentication";
    public static final String CONSOLE_CLIENT_ID = "arn:aws:signin:::console/canvas";
    public static final String CONSOLE_HOME = "https://console.aws.amazon.com/console/home";

    /**
     * §4.4 [INF, defined by us]: root sign-in is e-mail based and its fields are not public. The
     * fakes use a two-step flow: the e-mail page POSTs {@code action=resolveAccountType&email=…} to
     * {@link #ROOT_SIGNIN_URL}; the password page POSTs {@code action=root-user-authentication},
     * {@code email}, {@code password} to {@link #AUTHENTICATE_URL}. No account ID is on the wire.
     */
    public static final String ROOT_SIGNIN_URL = "https://signin.aws.amazon.com/signin";
    public static final String ROOT_RESOLVE_ACTION = "resolveAccountType";
    public static final String ROOT_AUTH_ACTION = "root-user-authentication";

    /** §4.2 [INF, open]: field the SAML role chooser posts back with the chosen role ARN. */
    public static final String SAML_ROLE_FIELD = "roleIndex";
    /** §4.2: SAML attribute whose values are "role-arn,provider-arn". */
    public static final String SAML_ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role";
    public static final String SAML_URL = "https://signin.aws.amazon.com/saml";

    private SigninWireShapes() {
    }

    /** §4.1/§3.2: regional federation endpoint; us-east-1 uses the global host (granted, aws-sso-util). */
    public static String federationEndpoint(String region) {
        return region.equals("us-east-1") ? "https://signin.aws.amazon.com/federation"
                : "https://" + region + ".signin.aws.amazon.com/federation";
    }

    /** §4.5: the regional console home a federation login lands on. */
    public static String consoleHome(String region) {
        return "https://" + region + ".console.aws.amazon.com/console/home?region=" + region;
    }
}
