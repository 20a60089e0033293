package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.ProxyServer;
import io.sekisho.proxy.audit.AsyncAuditLog;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.AuditLines;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 1 end to end: curl through the real proxy ({@link Wiring#DEFAULT}) to the fake
 * origin behind {@code upstream.resolve}. The Sign-In token endpoints answer with tokens for the
 * company's or a foreign account; the request and response bodies are reconstructed strictly
 * from the AWS CLI's source ({@code awscli/customizations/login/utils.py}) and the service model
 * ({@code botocore/data/signin/2023-01-01/service-2.json}), since Debian's CLI 2.9 has no
 * {@code aws login}. A foreign token never reaches the client; a company bearer token is then
 * accepted by the AWS MCP server's host, an unknown one is not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OAuthSigninTest {
    static final String LOGIN_TOKEN = "https://eu-west-1.signin.aws.amazon.com/v1/token";
    static final String IAM_TOKEN = "https://eu-west-1.oauth.signin.aws/v1/token?x-amz-client-auth-method=iam";
    static final String MCP = "https://aws-mcp.us-east-1.api.aws/mcp";
    static final String FOREIGN_KEY = AwsIdentities.temporary(FOREIGN).accessKeyId();
    static final String CORP_KEY = AwsIdentities.temporary(CORPORATE).accessKeyId();

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static ProxyServer proxy;
    static AuditLines audit;
    static Curl curl;
    /** What the origin answers at /v1/token next. */
    static volatile String tokenBody = "{}";

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Curl.available() || "true".equals(System.getenv("CI")), "curl is not on PATH");
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        origin.override(r -> r.path().equals("/v1/token"), r -> FakeResponse.json(200, "application/json", tokenBody));
        origin.override(r -> r.host().startsWith("aws-mcp."), r -> FakeResponse.json(200, "application/json",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
        CaInit.Summary ca = new CaInit(Clock.systemUTC(), new SecureRandom())
                .create(tmp.resolve("proxy-ca"), KeyType.EC_P256, "oauth e2e");
        StringBuilder yaml = new StringBuilder("version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "domains:\n  allow: [.signin.aws.amazon.com, .signin.aws, .api.aws]\n"
                + "tls:\n  ca:\n    certificate: \"" + ca.pemFile() + "\"\n    privateKey: \"" + ca.keyFile() + "\"\n"
                + "aws:\n  accounts:\n    allow: [\"" + CORPORATE + "\"]\n"
                + "upstream:\n  trustedCertificates: [\"" + originPki.caPem() + "\"]\n  resolve:\n"
                + "    \".api.aws\": \"127.0.0.1:" + origin.httpsPort() + "\"\n");
        origin.resolvePatterns().forEach((pattern, target) ->
                yaml.append("    \"").append(pattern).append("\": \"").append(target).append("\"\n"));
        LoadResult r = ConfigLoader.parse(yaml.toString(), "oauth-e2e.yaml");
        assertThat(r.errors()).as(yaml.toString()).isEmpty();
        SekishoConfig config = r.config();
        Path auditFile = tmp.resolve("audit.jsonl");
        proxy = ProxyServer.builder(config, Wiring.DEFAULT.policyFor(config),
                AsyncAuditLog.open(auditFile.toString(), 10_000), new FakeResolver())
                .blocks(Wiring.DEFAULT.blocksFor(config)).workerThreads(2).start();
        audit = new AuditLines(auditFile);
        curl = Curl.viaProxy(Files.createDirectories(tmp.resolve("curl")), ca.pemFile(), proxy.address().getPort());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.shutdown(Duration.ofMillis(500));
        }
        if (origin != null) {
            origin.close();
        }
    }

    @BeforeEach
    void reset() {
        origin.clearRequests();
    }

    static String jwt(String arn) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(("{\"sub\":\"" + arn + "\"}").getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    /** CreateOAuth2Token's response body (tokenOutput is the payload; locationNames as in the model). */
    static String loginResponse(String akid, String arn) {
        return "{\"accessToken\":{\"accessKeyId\":\"" + akid + "\",\"secretAccessKey\":\"e2e-secret-key-never-logged\","
                + "\"sessionToken\":\"e2e-session-token\"},\"tokenType\":\"aws_sigv4\",\"expiresIn\":900,"
                + "\"refreshToken\":\"e2e-refresh\",\"idToken\":\"" + jwt(arn) + "\"}";
    }

    /** The CLI's CreateOAuth2Token call: JSON tokenInput, a DPoP proof header (utils.py). */
    static CommandResult loginTokenCall() {
        return curl.run("-i", "-X", "POST", LOGIN_TOKEN, "-H", "Content-Type: application/json",
                "-H", "DPoP: eyJhbGciOiJFUzI1NiIsInR5cCI6ImRwb3Arand0In0.e30.c2ln",
                "--data", "{\"clientId\":\"arn:aws:signin:::devtools/same-device\",\"grantType\":\"authorization_code\","
                        + "\"code\":\"e2e-code\",\"codeVerifier\":\"" + "a".repeat(64) + "\","
                        + "\"redirectUri\":\"http://127.0.0.1:54321/oauth/callback\"}");
    }

    @Test
    void aTokenForAForeignAccountNeverReachesTheClient() {
        tokenBody = loginResponse(FOREIGN_KEY, "arn:aws:iam::" + FOREIGN + ":user/mallory");
        CommandResult result = loginTokenCall();

        assertThat(result.stdout()).contains("HTTP/1.1 403").contains("\"__type\":\"AccessDeniedException\"")
                .contains("x-amzn-ErrorType: AccessDeniedException")
                .doesNotContain(FOREIGN_KEY).doesNotContain("e2e-session-token").doesNotContain("e2e-refresh");
        assertThat(origin.requestsTo("eu-west-1.signin.aws.amazon.com")).hasSize(1);
        Map<String, Object> line = audit.await(l -> "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED".equals(l.get("reason"))
                && "/v1/token".equals(l.get("path")), Duration.ofSeconds(10));
        assertThat(line.get("principalAccount")).isEqualTo(FOREIGN);
    }

    @Test
    void aTokenForTheCompanyPassesUnchanged() {
        tokenBody = loginResponse(CORP_KEY, "arn:aws:sts::" + CORPORATE + ":assumed-role/Dev/alice");
        CommandResult result = loginTokenCall();

        assertThat(result.stdout()).contains("\nHTTP/1.1 200").endsWith(tokenBody);
    }

    @Test
    void aBearerTokenIsAcceptedElsewhereOnlyWhenIssuedThroughTheProxyForTheCompany() {
        String token = jwt("arn:aws:sts::" + CORPORATE + ":assumed-role/Dev/alice");
        CommandResult unknown = curl.run("-i", MCP, "-H", "Authorization: Bearer " + token, "--data", "{}");
        assertThat(unknown.stdout()).contains("\nHTTP/1.1 403");
        assertThat(origin.requestsTo("aws-mcp.us-east-1.api.aws")).isEmpty();

        tokenBody = "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
        AwsIdentities.Identity corp = AwsIdentities.temporary(CORPORATE);
        CommandResult issued = curl.run("-i", "-X", "POST", IAM_TOKEN, "--aws-sigv4", "aws:amz:eu-west-1:signin",
                "--user", corp.accessKeyId() + ":" + corp.secretAccessKey(), "-H", "X-Amz-Security-Token: "
                        + corp.sessionToken(), "-H", "Content-Type: application/json",
                "--data", "{\"grant_type\":\"client_credentials\",\"resource\":\"aws-mcp.amazonaws.com\"}");
        assertThat(issued.stdout()).as(issued.describe()).contains("\nHTTP/1.1 200");

        CommandResult known = curl.run("-i", MCP, "-H", "authorization: bearer " + token, "--data", "{}");
        assertThat(known.stdout()).as(known.describe()).contains("\nHTTP/1.1 200");
        assertThat(origin.requestsTo("aws-mcp.us-east-1.api.aws")).hasSize(1);
    }
}
