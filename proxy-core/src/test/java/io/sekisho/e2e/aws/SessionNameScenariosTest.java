package io.sekisho.e2e.aws;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.proxy.testing.ProxyUsers.ALICE;
import static io.sekisho.proxy.testing.ProxyUsers.ALICE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.e2e.AwsCli;
import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.CommandResult;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.proxy.testing.ProxyUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aws.sts.roleSessionName: "{user}"} end to end (issue 11 point 6): the real AWS CLI and
 * boto3, with their proxy credentials in {@code HTTPS_PROXY=http://alice:…@…}, call
 * {@code sts:AssumeRole} through the intercepting proxy against the recording fake origin. The
 * user's own name (in any case) reaches AWS; another name is refused with
 * {@code AWS_SESSION_NAME_MISMATCH} and never arrives.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SessionNameScenariosTest {
    private static final String ROLE = "arn:aws:iam::" + CORPORATE + ":role/Operators";
    /** Prints "OK <session name>" or "ERROR <code> <message>". */
    private static final String ASSUME_ROLE = String.join("\n",
            "import sys, boto3, botocore.config, botocore.exceptions",
            "sts = boto3.client('sts', region_name='us-east-1',",
            "                   config=botocore.config.Config(retries={'max_attempts': 1}))",
            "try:",
            "    r = sts.assume_role(RoleArn=sys.argv[1], RoleSessionName=sys.argv[2])",
            "    print('OK', r['AssumedRoleUser']['Arn'].rsplit('/', 1)[1])",
            "except botocore.exceptions.ClientError as e:",
            "    print('ERROR', e.response['Error']['Code'], e.response['Error']['Message'])",
            "");

    @TempDir
    static Path tmp;
    static SekishoForAws sekisho;

    @BeforeAll
    static void start() {
        Path htpasswd = ProxyUsers.writeHtpasswd(tmp.resolve("htpasswd"));
        sekisho = SekishoForAws.start(tmp, "auth:\n  schemes: [basic]\n  basic:\n    htpasswd: \"" + htpasswd + "\"\n",
                "  sts:\n    roleSessionName: \"{user}\"\n");
    }

    @AfterAll
    static void stop() {
        if (sekisho != null) {
            sekisho.close();
        }
    }

    @BeforeEach
    void clear() {
        sekisho.origin().clearRequests();
    }

    private static String proxyUrl() {
        return "http://" + ALICE + ":" + ALICE_PASSWORD + "@127.0.0.1:" + sekisho.port();
    }

    private static CommandResult cli(String dir, String sessionName) {
        String url = proxyUrl();
        return AwsCli.viaProxy(tmp.resolve(dir), sekisho.caPem(), sekisho.port()).env("HTTPS_PROXY", url)
                .env("HTTP_PROXY", url).identity(AwsIdentities.longTerm(CORPORATE)).region("us-east-1")
                .run("sts", "assume-role", "--role-arn", ROLE, "--role-session-name", sessionName);
    }

    private static List<RecordedRequest> assumeRoles() {
        return sekisho.origin().requests().stream().filter(q -> q.form().containsKey("RoleSessionName")).toList();
    }

    @Test
    void theAwsCliAssumesARoleUnderTheUsersName() {
        assumeTrue(AwsCli.available() || "true".equals(System.getenv("CI")), "the AWS CLI (aws) is not on PATH");
        CommandResult r = cli("cli-ok", ALICE);

        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(r.stdout()).contains("assumed-role/Operators/" + ALICE);
        assertThat(assumeRoles()).singleElement().satisfies(q -> assertThat(q.form())
                .containsEntry("RoleSessionName", ALICE));
        assertThat(sekisho.proxy().audit().await(l -> "POST".equals(l.get("method")) && ALICE.equals(l.get("user"))
                && "sts:AssumeRole".equals(l.get("action")), Duration.ofSeconds(10)))
                .containsEntry("verdict", "ALLOW").containsEntry("policy", "default");
    }

    @Test
    void theAwsCliWithAnotherSessionNameIsRefusedAndNothingArrives() {
        assumeTrue(AwsCli.available() || "true".equals(System.getenv("CI")), "the AWS CLI (aws) is not on PATH");
        CommandResult r = cli("cli-other", "bob");

        assertThat(r.succeeded()).isFalse();
        assertThat(r.stderr()).as(r.describe()).contains("AccessDenied").contains("AWS_SESSION_NAME_MISMATCH")
                .doesNotContain(ALICE_PASSWORD);
        assertThat(assumeRoles()).isEmpty();
        assertThat(sekisho.proxy().audit().await(l -> "AWS_SESSION_NAME_MISMATCH".equals(l.get("reason")),
                Duration.ofSeconds(10))).containsEntry("verdict", "DENY").containsEntry("user", ALICE)
                .containsEntry("rule", "aws.sts.roleSessionName").containsEntry("principalAccount", CORPORATE);
    }

    @Test
    void boto3IsHeldToTheSameRuleCaseIgnored() throws Exception {
        assumeTrue(CommandResult.onPath("python3").isPresent() || "true".equals(System.getenv("CI")),
                "python3 is not on PATH");
        Path script = Files.writeString(tmp.resolve("assume_role.py"), ASSUME_ROLE);

        CommandResult upper = boto3(script, "ALICE");
        assertThat(upper.stdout().trim()).as(upper.describe()).isEqualTo("OK ALICE");
        CommandResult other = boto3(script, "mallory");
        assertThat(other.stdout()).as(other.describe()).startsWith("ERROR AccessDenied")
                .contains("AWS_SESSION_NAME_MISMATCH");
        assertThat(assumeRoles()).singleElement().satisfies(q -> assertThat(q.form())
                .containsEntry("RoleSessionName", "ALICE"));
    }

    private static CommandResult boto3(Path script, String sessionName) {
        AwsIdentities.Identity corp = AwsIdentities.longTerm(CORPORATE);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", tmp.toString());
        env.put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_ACCESS_KEY_ID", corp.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", corp.secretAccessKey());
        env.put("AWS_CA_BUNDLE", sekisho.caPem().toString());
        env.put("HTTPS_PROXY", proxyUrl());
        env.put("NO_PROXY", "");
        return CommandResult.run(List.of("python3", script.toString(), ROLE, sessionName), env, tmp.resolve("run"),
                Duration.ofSeconds(60));
    }
}
