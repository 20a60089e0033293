package io.sekisho.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IAM Identity Center as the browser and the CLIs see it (aws-wire-facts §3): the access portal
 * page on any portal host ({@code <name>.awsapps.com/start}, {@code ssoins-….portal.<region>.app.aws}),
 * the portal API on {@code portal.sso.<region>.amazonaws.com} (browser calls and the SDK's
 * GetRoleCredentials/ListAccounts/ListAccountRoles), and OIDC on {@code oidc.<region>.amazonaws.com}.
 *
 * <p>Every portal host is an Identity Center instance of its own, and the portal API answers for
 * any {@code account_id}: refusing another company's portal or a foreign account is the proxy's job.
 */
public final class FakeIdentityCenter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern APP_AWS_REGION = Pattern.compile(".*\\.portal\\.([a-z0-9-]+)\\.app\\.aws");

    private final String region;
    private final SecureRandom random;
    private final Clock clock;
    private final FakeSignin signin;
    private final Map<String, AccountAssignment> assignments = new LinkedHashMap<>();

    /** An account the portal lists, with the permission sets (role names) the user may use there. */
    public record AccountAssignment(String accountId, String name, List<String> roles) {
    }

    FakeIdentityCenter(String region, SecureRandom random, Clock clock, FakeSignin signin) {
        this.region = region;
        this.random = random;
        this.clock = clock;
        this.signin = signin;
        assign(AwsIdentities.CORPORATE, "Production", "AdministratorAccess", "ReadOnlyAccess");
        assign(AwsIdentities.CORPORATE_2, "Analytics", "ReadOnlyAccess");
    }

    /** Adds or replaces an account in what the portal lists. */
    public synchronized void assign(String accountId, String name, String... roles) {
        assignments.put(accountId, new AccountAssignment(accountId, name, List.of(roles)));
    }

    public String region() {
        return region;
    }

    /** The portal API host browsers call, e.g. {@code portal.sso.eu-west-1.amazonaws.com}. */
    public String portalApiHost() {
        return "portal.sso." + region + ".amazonaws.com";
    }

    boolean serves(String host) {
        return isPortal(host) || host.startsWith("portal.sso.") || host.startsWith("oidc.")
                || host.startsWith("device.sso.");
    }

    private static boolean isPortal(String host) {
        return host.endsWith(".awsapps.com") || host.endsWith(".app.aws") || host.contains(".portal.amazonaws.")
                || host.startsWith("identitycenter.amazonaws.");
    }

    FakeResponse handle(RecordedRequest request) {
        String host = request.host();
        if (isPortal(host)) {
            return portalPage(request);
        }
        if (host.startsWith("oidc.")) {
            return FakeOidc.handle(request, host.substring("oidc.".length(), host.indexOf(".amazonaws.")), random, clock);
        }
        if (host.startsWith("device.sso.")) {
            return FakeResponse.html("<!doctype html><title>Authorize request</title><h1>Authorize request</h1>");
        }
        return withCors(request, portalApi(request));
    }

    private FakeResponse portalPage(RecordedRequest request) {
        if (request.path().equals("/favicon.ico")) {
            return FakeResponse.empty(404);
        }
        String host = request.host();
        Matcher regional = APP_AWS_REGION.matcher(host);
        String pageRegion = regional.matches() ? regional.group(1) : region;
        String startUrl = host.endsWith(".awsapps.com") ? "https://" + host + "/start" : "https://" + host;
        ObjectNode env = JSON.createObjectNode().put("region", pageRegion).put("partition", "aws")
                .put("startUrl", startUrl).put("portalApiEndpoint", "https://portal.sso." + pageRegion + ".amazonaws.com")
                .put("oidcApiEndpoint", "https://oidc." + pageRegion + ".amazonaws.com");
        FakeResponse page = HtmlPages.page("portal.html", Map.of("envJson", env.toString().replace("<", "\\u003c"),
                "startUrl", startUrl));
        if (request.cookie(SigninWireShapes.PORTAL_AUTH_COOKIE).isEmpty()) {
            // Stands in for the portal's own user sign-in: the page gets a session at once.
            page = page.withHeader("Set-Cookie", SigninWireShapes.PORTAL_AUTH_COOKIE + "=" + randomToken(48)
                    + "; Path=/; Secure; SameSite=Lax");
        }
        return page;
    }

    private FakeResponse portalApi(RecordedRequest request) {
        if (request.method().equals("OPTIONS")) {
            return FakeResponse.empty(204);
        }
        Optional<String> bearer = request.header(SigninWireShapes.PORTAL_BEARER_HEADER)
                .or(() -> request.header("x-amz-sso-bearer-token")).filter(t -> !t.isBlank());
        if (bearer.isEmpty()) {
            return json(401, "{\"message\":\"Session token not found or invalid\"}");
        }
        Map<String, String> query = request.query();
        String account = query.getOrDefault("account_id", "");
        String role = query.getOrDefault("role_name", "");
        String path = request.path();
        if (path.startsWith("/instance/appinstance/") && path.endsWith("/profiles")) {
            return profiles(path.substring("/instance/appinstance/ins-".length(), path.length() - "/profiles".length()));
        }
        return switch (path) {
            case "/user" -> json(200, JSON.createObjectNode().put("userId", "e2e-user").put("accountId", AwsIdentities.CORPORATE)
                    .put("ssoInstanceId", "ssoins-e2e0000000000000").put("email", "alice@corp.example").toString());
            case "/instance/appinstances" -> appInstances();
            case "/federation/console" -> federationConsole(account, role);
            case "/federation/credentials" -> roleCredentials(account);
            case "/assignment/accounts" -> listAccounts();
            case "/assignment/roles" -> listRoles(account);
            case "/logout" -> FakeResponse.empty(200);
            default -> json(404, "{\"message\":\"no such portal API\"}");
        };
    }

    private synchronized FakeResponse appInstances() {
        ArrayNode result = JSON.createArrayNode();
        for (AccountAssignment a : assignments.values()) {
            ObjectNode instance = result.addObject().put("id", "ins-" + a.accountId()).put("name", "AWS Account")
                    .put("applicationId", "app-aws-account").put("applicationName", "AWS Account");
            instance.putObject("searchMetadata").put("AccountId", a.accountId()).put("AccountName", a.name())
                    .put("AccountEmail", "aws+" + a.accountId() + "@corp.example");
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("result", result);
        body.putNull("paginationToken");
        return json(200, body.toString());
    }

    private synchronized FakeResponse profiles(String accountId) {
        ArrayNode result = JSON.createArrayNode();
        AccountAssignment assignment = assignments.get(accountId);
        List<String> roles = assignment == null ? List.of() : assignment.roles();
        roles.forEach(role -> result.addObject().put("id", "p-" + role.toLowerCase()).put("name", role)
                .put("protocol", "SAML").put("url", ""));
        ObjectNode body = JSON.createObjectNode();
        body.set("result", result);
        return json(200, body.toString());
    }

    /** §3.2: the token the browser redeems at the regional federation endpoint. */
    private FakeResponse federationConsole(String account, String role) {
        if (!account.matches("\\d{12}") || role.isEmpty()) {
            return json(400, "{\"message\":\"account_id and role_name are required\"}");
        }
        String arn = "arn:aws:sts::" + account + ":assumed-role/AWSReservedSSO_" + role + "_0123456789abcdef/alice";
        String token = signin.issueToken(account, arn, "portal");
        return json(200, JSON.createObjectNode().put("signInToken", token)
                .put("signInFederationLocation", SigninWireShapes.federationEndpoint(region))
                .put("destination", SigninWireShapes.consoleHome(region)).toString());
    }

    /** §3.4 GetRoleCredentials: keys that decode to the requested account (keygen seed "sso-role-creds"). */
    private FakeResponse roleCredentials(String account) {
        if (!account.matches("\\d{12}")) {
            return json(400, "{\"message\":\"account_id is required\"}");
        }
        AwsIdentities.Identity issued = AwsIdentities.identity("ASIA", account, "sso-role-creds");
        ObjectNode credentials = JSON.createObjectNode();
        credentials.putObject("roleCredentials").put("accessKeyId", issued.accessKeyId())
                .put("secretAccessKey", issued.secretAccessKey()).put("sessionToken", issued.sessionToken())
                .put("expiration", clock.instant().plus(Duration.ofHours(1)).toEpochMilli());
        return json(200, credentials.toString());
    }

    private synchronized FakeResponse listAccounts() {
        ArrayNode list = JSON.createArrayNode();
        assignments.values().forEach(a -> list.addObject().put("accountId", a.accountId()).put("accountName", a.name())
                .put("emailAddress", "aws+" + a.accountId() + "@corp.example"));
        ObjectNode body = JSON.createObjectNode();
        body.set("accountList", list);
        return json(200, body.toString());
    }

    private synchronized FakeResponse listRoles(String account) {
        ArrayNode list = JSON.createArrayNode();
        AccountAssignment assignment = assignments.get(account);
        (assignment == null ? List.<String>of() : assignment.roles())
                .forEach(role -> list.addObject().put("roleName", role).put("accountId", account));
        ObjectNode body = JSON.createObjectNode();
        body.set("roleList", list);
        return json(200, body.toString());
    }

    /** The portal page and its API are different origins: the browser needs CORS, preflight included. */
    private static FakeResponse withCors(RecordedRequest request, FakeResponse response) {
        String origin = request.header("Origin").orElse(null);
        if (origin == null) {
            return response;
        }
        return response.withHeader("Access-Control-Allow-Origin", origin)
                .withHeader("Access-Control-Allow-Credentials", "true")
                .withHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .withHeader("Access-Control-Allow-Headers", request.header("Access-Control-Request-Headers")
                        .orElse(SigninWireShapes.PORTAL_BEARER_HEADER))
                .withHeader("Vary", "Origin");
    }

    private String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static FakeResponse json(int status, String body) {
        return FakeResponse.json(status, "application/json", body);
    }
}
