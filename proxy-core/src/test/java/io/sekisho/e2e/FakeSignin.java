package io.sekisho.e2e;

import static io.sekisho.e2e.SigninWireShapes.AUTHENTICATE_URL;
import static io.sekisho.e2e.SigninWireShapes.CONSOLE_CLIENT_ID;
import static io.sekisho.e2e.SigninWireShapes.CONSOLE_HOME;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * AWS Sign-In on {@code signin.aws.amazon.com}, {@code <region>.signin.aws.amazon.com} and
 * {@code <account-or-alias>.signin.aws.amazon.com} (aws-wire-facts §4): the federation endpoint
 * ({@code getSigninToken}, {@code login}), SAML, the IAM-user page and credential post, and the
 * root e-mail flow of {@link SigninWireShapes}. A successful sign-in redirects to the console and
 * sets the {@code aws-userInfo} cookie with the principal's ARN, which {@link FakeConsole} shows.
 *
 * <p>The fake accepts every SigninToken, assertion and password: stopping the wrong ones is the
 * proxy's job, and an e2e test sees a leak as a console page for the wrong account.
 */
public final class FakeSignin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private final SecureRandom random;
    private final Map<String, SigninSession> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> aliases = new ConcurrentHashMap<>(Map.of("corp-prod", AwsIdentities.CORPORATE));
    private final Map<String, String> rootEmails = new ConcurrentHashMap<>();

    /** Whom a SigninToken signs in, and which call issued it ("portal" or "getSigninToken"). */
    public record SigninSession(String account, String arn, String issuedBy) {
    }

    FakeSignin(SecureRandom random) {
        this.random = random;
    }

    static boolean serves(String host) {
        return host.equals("signin.aws.amazon.com") || host.endsWith(".signin.aws.amazon.com") || host.endsWith(".signin.aws");
    }

    /** Registers an account alias for {@code <alias>.signin.aws.amazon.com} ("corp-prod" is preset). */
    public void alias(String alias, String account) {
        aliases.put(alias, account);
    }

    /** Which account a root e-mail signs in to; unknown addresses sign in to {@link AwsIdentities#FOREIGN}. */
    public void rootEmail(String email, String account) {
        rootEmails.put(email.toLowerCase(Locale.ROOT), account);
    }

    /** Every SigninToken issued so far (by this fake or the portal fake). */
    public Map<String, SigninSession> issuedTokens() {
        return Map.copyOf(tokens);
    }

    String issueToken(String account, String arn, String issuedBy) {
        byte[] bytes = new byte[96];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(token, new SigninSession(account, arn, issuedBy));
        return token;
    }

    FakeResponse handle(RecordedRequest request) {
        Map<String, String> params = request.parameters();
        String action = params.getOrDefault("action", params.getOrDefault("Action", ""));
        return switch (request.path()) {
            case "/federation" -> switch (action) {
                case "getSigninToken" -> getSigninToken(params.get("Session"));
                case "login" -> login(params);
                default -> FakeResponse.of(400, "text/plain", "unknown federation Action");
            };
            case "/saml" -> request.method().equals("POST") ? saml(params) : FakeResponse.empty(405);
            case "/console" -> iamUserPage(request.host());
            case "/authenticate" -> authenticate(request, params, action);
            case "/signin" -> request.method().equals("POST") && action.equals(SigninWireShapes.ROOT_RESOLVE_ACTION)
                    ? rootPasswordPage(params.getOrDefault("email", ""))
                    : HtmlPages.page("root-signin.html", Map.of("signinUrl", SigninWireShapes.ROOT_SIGNIN_URL,
                            "action", SigninWireShapes.ROOT_RESOLVE_ACTION));
            default -> FakeResponse.of(404, "text/plain", "no such sign-in page");
        };
    }

    /** §4.1 step 1: the Session JSON's sessionId is the access key of the session to start. */
    private FakeResponse getSigninToken(String session) {
        JsonNode json;
        try {
            json = session == null ? null : JSON.readTree(session);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.path("sessionId").isTextual()) {
            return FakeResponse.of(400, "text/plain", "Session is missing or not JSON");
        }
        String keyId = json.path("sessionId").asText();
        String account = AwsIdentities.accountOf(keyId).orElse(null);
        String shown = account == null ? "unknown" : account;
        String arn = keyId.startsWith("ASIA") ? "arn:aws:sts::" + shown + ":assumed-role/sekisho-e2e/federated"
                : "arn:aws:sts::" + shown + ":federated-user/sekisho-e2e";
        String token = issueToken(account, arn, "getSigninToken");
        return FakeResponse.json(200, "application/json", "{\"SigninToken\":" + FakeResponse.jsonString(token) + "}");
    }

    /** §4.1 step 2: any token is accepted; an unknown one lands on the console without a principal. */
    private FakeResponse login(Map<String, String> params) {
        String destination = params.getOrDefault("Destination", CONSOLE_HOME);
        SigninSession session = tokens.get(params.getOrDefault("SigninToken", ""));
        FakeResponse redirect = FakeResponse.redirect(destination);
        String issuer = params.getOrDefault("Issuer", "");
        return session == null ? redirect : withUserInfo(redirect, session.arn(), issuer);
    }

    /** §4.2: one role signs in at once; several get the role chooser, which posts the choice back. */
    private FakeResponse saml(Map<String, String> params) {
        String assertion = params.getOrDefault("SAMLResponse", "");
        FakeSamlIdp.Assertion parsed;
        try {
            parsed = FakeSamlIdp.parse(assertion);
        } catch (IllegalArgumentException e) {
            return FakeResponse.of(400, "text/plain", "Invalid SAML response");
        }
        List<String> roles = parsed.roleArns();
        String chosen = params.get(SigninWireShapes.SAML_ROLE_FIELD);
        if (chosen == null && roles.size() == 1) {
            chosen = roles.get(0);
        }
        if (chosen == null || !roles.contains(chosen)) {
            return roleChooser(assertion, roles);
        }
        String[] arn = chosen.split(":", 6);
        String role = arn[5].substring(arn[5].indexOf('/') + 1);
        String relay = params.getOrDefault("RelayState", "");
        String destination = relay.startsWith("https://") && FakeConsole.serves(hostOf(relay)) ? relay : CONSOLE_HOME;
        return withUserInfo(FakeResponse.redirect(destination), "arn:aws:sts::" + arn[4] + ":assumed-role/" + role + "/"
                + parsed.nameId(), "https://signin.aws.amazon.com/saml");
    }

    private static FakeResponse roleChooser(String assertion, List<String> roles) {
        StringBuilder radios = new StringBuilder();
        for (String role : roles) {
            String account = role.split(":")[4];
            radios.append("<div class=\"saml-account\"><div class=\"saml-account-name\">Account: ")
                    .append(FakeResponse.escape(account)).append("</div><label><input type=\"radio\" class=\"saml-radio\" name=\"")
                    .append(SigninWireShapes.SAML_ROLE_FIELD).append("\" value=\"").append(FakeResponse.escape(role))
                    .append("\"> ").append(FakeResponse.escape(role)).append("</label></div>\n");
        }
        return HtmlPages.page("saml-chooser.html", Map.of("samlUrl", SigninWireShapes.SAML_URL,
                "samlResponse", assertion, "roles", radios.toString()));
    }

    /** §4.3: {@code <account-id-or-alias>.signin.aws.amazon.com/console}. */
    private FakeResponse iamUserPage(String host) {
        String label = accountLabel(host).orElse("");
        if (label.isEmpty()) {
            return FakeResponse.redirect(SigninWireShapes.ROOT_SIGNIN_URL);
        }
        return HtmlPages.page("iam-user-signin.html", Map.of("account", label, "authenticateUrl", AUTHENTICATE_URL,
                "action", SigninWireShapes.IAM_USER_ACTION, "clientId", CONSOLE_CLIENT_ID, "redirectUri", CONSOLE_HOME));
    }

    private FakeResponse authenticate(RecordedRequest request, Map<String, String> params, String action) {
        String principal;
        if (action.equals(SigninWireShapes.IAM_USER_ACTION)) {
            String label = params.getOrDefault("account", "");
            String account = label.matches("\\d{12}") ? label : aliases.get(label);
            if (account == null) {
                return FakeResponse.of(401, "text/plain", "Authentication failed: unknown account " + label);
            }
            principal = "arn:aws:iam::" + account + ":user/" + params.getOrDefault("username", "user");
        } else if (action.equals(SigninWireShapes.ROOT_AUTH_ACTION)) {
            String email = params.getOrDefault("email", "").toLowerCase(Locale.ROOT);
            principal = "arn:aws:iam::" + rootEmails.getOrDefault(email, AwsIdentities.FOREIGN) + ":root";
        } else {
            return FakeResponse.of(400, "text/plain", "unknown authenticate action");
        }
        String redirect = params.getOrDefault("redirect_uri", CONSOLE_HOME);
        boolean navigation = request.header("Accept").orElse("").contains("text/html");
        FakeResponse response = navigation ? FakeResponse.redirect(redirect)
                : FakeResponse.json(200, "application/json", "{\"state\":\"SUCCESS\",\"properties\":{\"result\":\"SUCCESS\","
                        + "\"redirectUrl\":" + FakeResponse.jsonString(redirect) + "}}");
        return withUserInfo(response, principal, "http://signin.aws.amazon.com/signin");
    }

    private static FakeResponse rootPasswordPage(String email) {
        return HtmlPages.page("root-password.html", Map.of("email", email, "authenticateUrl", AUTHENTICATE_URL,
                "action", SigninWireShapes.ROOT_AUTH_ACTION, "redirectUri", CONSOLE_HOME));
    }

    /** The first label of {@code <label>.signin.aws.amazon.com} unless it is a region. */
    static Optional<String> accountLabel(String host) {
        if (!host.endsWith(".signin.aws.amazon.com")) {
            return Optional.empty();
        }
        String label = host.substring(0, host.length() - ".signin.aws.amazon.com".length());
        return label.contains(".") || REGION.matcher(label).matches() ? Optional.empty() : Optional.of(label);
    }

    /** §4.5 [INF]: {@code aws-userInfo} on the domain shared by sign-in and console hosts. */
    private static FakeResponse withUserInfo(FakeResponse response, String arn, String issuer) {
        String account = arn.split(":")[4];
        String json = "{\"arn\":" + FakeResponse.jsonString(arn) + ",\"alias\":" + FakeResponse.jsonString(account)
                + ",\"username\":" + FakeResponse.jsonString(arn.substring(arn.lastIndexOf('/') + 1))
                + ",\"issuer\":" + FakeResponse.jsonString(issuer) + ",\"signinType\":\"PUBLIC\"}";
        return response.withHeader("Set-Cookie", SigninWireShapes.USER_INFO_COOKIE + "="
                + URLEncoder.encode(json, StandardCharsets.UTF_8) + "; Domain=" + SigninWireShapes.CONSOLE_COOKIE_DOMAIN
                + "; Path=/; Secure; SameSite=Lax");
    }

    private static String hostOf(String url) {
        String rest = url.substring(url.indexOf("//") + 2);
        int end = rest.indexOf('/');
        String authority = end < 0 ? rest : rest.substring(0, end);
        int colon = authority.indexOf(':');
        return (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
    }
}
