package io.sekisho.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sekisho.proxy.explain.ExplainConfigs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sekisho explain} end to end through the command line: the four input kinds, the HAR
 * files CONSTRUCTED from the sign-in fixtures' values (src/test/resources/explain, each says so
 * in its {@code log.comment}), the evidence named, the exit codes and the JSON form.
 */
class ExplainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path enforce;
    private static Path report;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void configs() throws Exception {
        enforce = ExplainConfigs.write(dir, "enforce", "");
        report = ExplainConfigs.write(dir, "report", "");
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine(Wiring.DEFAULT);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private JsonNode json(Path config, String... inputs) throws Exception {
        List<String> args = new ArrayList<>(List.of("explain", "--json", "--config", config.toString()));
        args.addAll(List.of(inputs));
        run(args.toArray(new String[0]));
        return JSON.readTree(out.toString());
    }

    static String har(String name) throws URISyntaxException {
        return Path.of(ExplainCommandTest.class.getResource("/explain/" + name).toURI()).toString();
    }

    @Test
    void aUserAndGroupSelectTheirPolicyAndTheirSessionName() throws Exception {
        Path groups = ExplainConfigs.write(dir, "enforce", "policies:\n  - name: contractors\n"
                + "    match: {groups: [contractors]}\n    domains: {allow: [docs.example.com]}\n"
                + "  - name: lab\n    match: {clients: [10.8.0.0/16]}\n    mode: report\n");
        String url = "https://sts.amazonaws.com/?Action=GetCallerIdentity";

        JsonNode contractor = json(groups, "--user", "carol", "--group", "Contractors", url).get(0);
        assertThat(contractor.get("policy").asText()).isEqualTo("contractors");
        assertThat(contractor.get("reason").asText()).isEqualTo("DOMAIN_NOT_ALLOWED");
        assertThat(contractor.get("steps").toString()).contains("policy: contractors (enforce), for user `carol`");
        out.getBuffer().setLength(0);
        assertThat(json(groups, "--client", "10.8.1.2", url).get(0).get("policy").asText()).isEqualTo("lab");
        out.getBuffer().setLength(0);
        assertThat(json(groups, url).get(0).get("policy").asText()).isEqualTo("default");
        assertThat(run("explain", "--config", groups.toString(), "--client", "lab.example", url))
                .isEqualTo(ExplainCommand.UNREADABLE);
        assertThat(err.toString()).contains("--client lab.example is not an IP address");
    }

    @Test
    void theCompanysIdentityCenterSigninIsAllowedStepByStep() throws Exception {
        JsonNode all = json(enforce, har("identity-center-console-signin.har"));
        assertThat(all).hasSize(4);
        assertThat(all.get(1).get("reason").asText()).isEqualTo("AWS_SIGNIN_ALLOWED");
        assertThat(all.get(1).get("evidence").get("principalAccount").asText()).isEqualTo("111122223333");
        JsonNode login = all.get(2);
        assertThat(login.get("verdict").asText()).isEqualTo("ALLOW");
        assertThat(login.get("reason").asText()).isEqualTo("AWS_SIGNIN_ALLOWED");
        assertThat(login.get("evidence").get("flow").asText()).isEqualTo("federation");
        assertThat(login.get("evidence").get("action").asText()).isEqualTo("login");
        assertThat(login.get("evidence").get("principalAccount").asText())
                .as("the account comes from the token the portal issued two entries earlier").isEqualTo("111122223333");
        assertThat(all.get(1).get("steps").toString()).contains("response 200: replayed to the policy");
        assertThat(run("explain", "--config", enforce.toString(), har("identity-center-console-signin.har")))
                .isEqualTo(ExplainCommand.ALLOWED);
    }

    @Test
    void aFailedSigninHarShowsWhichRequestWasBlockedAndWhy() throws Exception {
        int code = run("explain", "--config", enforce.toString(), har("foreign-account-signin.har"));
        assertThat(code).isEqualTo(ExplainCommand.BLOCKED);
        String text = out.toString();
        assertThat(text).contains("foreign-account-signin.har#1", "DENY AWS_PORTAL_NOT_ALLOWED")
                .contains("foreign-account-signin.har#2", "account: 999988887777")
                .contains("foreign-account-signin.har#3", "DENY AWS_SIGNIN_TOKEN_UNKNOWN (rule signin.tokenProvenance)")
                .contains("sign-in step: federation / login", "why: ", "SigninToken=\u2026")
                .as("the sign-in token is a credential").doesNotContain("VCQECQ-issued");
    }

    @Test
    void aReplayedLoginTokenIsDeniedTheSecondTime() throws Exception {
        JsonNode all = json(enforce, har("token-replay.har"));
        assertThat(all.get(1).get("reason").asText()).isEqualTo("AWS_SIGNIN_ALLOWED");
        assertThat(all.get(2).get("reason").asText()).isEqualTo("AWS_SIGNIN_TOKEN_UNKNOWN");
    }

    @Test
    void reportModeSaysWhatEnforceWouldDoAndStillExitsOne() throws Exception {
        JsonNode all = json(report, har("foreign-account-signin.har"));
        assertThat(all.get(1).get("verdict").asText()).isEqualTo("ALLOW");
        assertThat(all.get(1).get("wouldDeny").asBoolean()).isTrue();
        assertThat(run("explain", "--config", report.toString(), har("foreign-account-signin.har")))
                .isEqualTo(ExplainCommand.BLOCKED);
    }

    @Test
    void aUrlWithAMethodIsJudgedThroughItsConnect() {
        assertThat(run("explain", "--config", enforce.toString(), "-X", "PUT",
                "https://attacker-bucket.s3.amazonaws.com/loot.csv")).isEqualTo(ExplainCommand.BLOCKED);
        assertThat(out.toString()).contains("PUT https://attacker-bucket.s3.amazonaws.com/loot.csv",
                "CONNECT attacker-bucket.s3.amazonaws.com:443: ALLOW DOMAIN_ALLOWED (rule .amazonaws.com), intercepted",
                "is not resolved (explain makes no DNS query)");
    }

    @Test
    void aCurlCommandLineWithAForeignKeyNamesTheKeyAndTheAccount() throws Exception {
        String curl = "curl -sS -X POST 'https://sts.amazonaws.com/' -H 'Content-Type: application/x-www-form-urlencoded'"
                + " -H 'Authorization: AWS4-HMAC-SHA256 Credential=ASIA6RU73QDQ3B36GCJB/20260101/us-east-1/sts/aws4_request,"
                + " SignedHeaders=host;x-amz-date, Signature=0123abcd' --data 'Action=GetCallerIdentity&Version=2011-06-15'";
        JsonNode one = json(enforce, curl).get(0);
        assertThat(one.get("reason").asText()).isEqualTo("AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED");
        assertThat(one.get("evidence").get("accessKeyId").asText()).isEqualTo("ASIA…GCJB");
        assertThat(one.get("evidence").get("principalAccount").asText()).isEqualTo("999988887777");
        assertThat(out.toString()).doesNotContain("ASIA6RU73QDQ3B36GCJB").doesNotContain("0123abcd");
    }

    @Test
    void anOldKeyWithAResolverConfiguredSaysItWouldNeedAnStsLookup() throws Exception {
        Path withResolver = ExplainConfigs.write(dir.resolve("resolver"), "enforce",
                "  keyInfoResolver: {region: us-east-1}\n");
        String curl = "curl https://sqs.us-east-1.amazonaws.com/ -H 'Authorization: AWS4-HMAC-SHA256"
                + " Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00'";
        JsonNode one = json(withResolver, curl).get(0);
        assertThat(one.get("reason").asText()).isEqualTo("AWS_KEY_UNRESOLVABLE");
        assertThat(one.get("steps").toString()).contains("key AKIA…MPLE: would need an STS lookup");
    }

    @Test
    void aRawHttpRequestFileIsJudged() throws Exception {
        Path raw = dir.resolve("upload.http");
        Files.writeString(raw, "PUT /uploads/a.txt HTTP/1.1\r\nHost: corp-data-bucket.s3.amazonaws.com\r\n"
                + "Authorization: AWS4-HMAC-SHA256 Credential=AKIARTX3GSDST3HFSG5Y/20261122/us-east-1/s3/aws4_request,"
                + " SignedHeaders=host, Signature=ab\r\nContent-Length: 5\r\n\r\nhello", StandardCharsets.UTF_8);
        JsonNode one = json(enforce, raw.toString()).get(0);
        assertThat(one.get("reason").asText()).isEqualTo("AWS_ACCOUNT_ALLOWED");
        assertThat(one.get("rule").asText()).isEqualTo("aws.accounts.allow");
        assertThat(one.get("evidence").get("principalAccount").asText()).isEqualTo("111122223333");
    }

    @Test
    void unreadableInputsAndConfigsExitThree() throws Exception {
        assertThat(run("explain", "--config", enforce.toString(), dir.resolve("missing.har").toString())).isEqualTo(3);
        assertThat(err.toString()).contains("missing.har: neither a URL");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\nlisen: x\n");
        assertThat(run("explain", "--config", bad.toString(), "https://example.com/")).isEqualTo(3);
        assertThat(run("explain", "--config", enforce.toString(), "curl --upload-file x https://a.amazonaws.com/"))
                .isEqualTo(3);
        assertThat(run("explain", "--config", enforce.toString())).isEqualTo(2);
    }
}
