package io.sekisho.e2e.aws;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.e2e.AwsCli;
import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.CommandResult;
import io.sekisho.e2e.Curl;
import io.sekisho.e2e.RecordedRequest;
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
 * Issue 15 points 5 to 8 end to end: the real proxy, loader and engine, real clients (the AWS
 * CLI v1, boto3, curl signing with {@code --aws-sigv4}), the recording fake AWS origin. A refused
 * request never arrives; an allowed one arrives as sent.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SurfaceScenariosTest {
    static final String CORP_AP = "corp-ap-hqfa5nbmsjv3rvxwpktbybc1sn5pusw2a-s3alias";
    static final String FOREIGN_AP = "their-ap-x7q2hn5k8w3mfzb1pc9rjy4tsd6vuea-s3alias";
    static final String MFA_ROLE = "arn:aws:iam::111122223333:role/prod-admin";

    /** Prints "OK" or "ERROR <code> <message>"; credentials from the environment. */
    static final String START_SESSION = String.join("\n",
            "import sys, json, boto3, botocore.config, botocore.exceptions",
            "ssm = boto3.client('ssm', region_name='us-east-1',",
            "                   config=botocore.config.Config(retries={'max_attempts': 1}))",
            "try:",
            "    ssm.start_session(Target=sys.argv[1], DocumentName=sys.argv[2], Parameters=json.loads(sys.argv[3]))",
            "    print('OK')",
            "except botocore.exceptions.ClientError as e:",
            "    print('ERROR', e.response['Error']['Code'], e.response['Error']['Message'])",
            "");

    @TempDir
    static Path tmp;
    static SekishoForAws sekisho;

    @BeforeAll
    static void start() {
        sekisho = SekishoForAws.start(tmp, new SekishoForAws.Extra(List.of(".cloudfront.net"), String.join("\n",
                "  s3:",
                "    accessPoints: {allow: [\"" + CORP_AP + "\"]}",
                "    multiRegionAccessPoints: {allow: [mfzwi23gnjvgw]}",
                "  sts:",
                "    assumeRole: {mfaRequired: [\"arn:aws:iam::111122223333:role/prod-*\"]}",
                "  ssm:",
                "    startSession:",
                "      documents: [AWS-StartPortForwardingSession, AWS-StartPortForwardingSessionToRemoteHost]",
                "      targets: [\"i-0abc*\"]",
                "      remoteHosts: [db.corp.internal]",
                "")));
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

    static AwsCli cli() {
        assumeTrue(AwsCli.available() || "true".equals(System.getenv("CI")), "the AWS CLI (aws) is not on PATH");
        return AwsCli.viaProxy(tmp.resolve("cli"), sekisho.caPem(), sekisho.port())
                .identity(AwsIdentities.longTerm(CORPORATE)).region("us-east-1");
    }

    static Curl curl() {
        assumeTrue(Curl.available() || "true".equals(System.getenv("CI")), "curl is not on PATH");
        return Curl.viaProxy(tmp, sekisho.caPem(), sekisho.port());
    }

    static void assertBlocked(CommandResult r, String reason) {
        System.out.println(String.join(" ", r.command()) + "\n  exit " + r.exitCode() + ", stderr:\n" + r.stderr());
        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.stderr()).as(r.describe()).contains("AccessDenied").contains("Blocked by Sekisho").contains(reason);
    }

    static Map<String, Object> deniedLine(String reason) {
        return sekisho.proxy().audit().await(l -> "DENY".equals(l.get("verdict")) && reason.equals(l.get("reason")),
                Duration.ofSeconds(10));
    }

    // ---- point 5: alias hosts ------------------------------------------------------------

    @Test
    void putObjectThroughAForeignAccessPointAliasIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("ap.txt"), "ledger\n");
        CommandResult r = cli().run("s3api", "put-object", "--bucket", FOREIGN_AP, "--key", "k.txt", "--body",
                file.toString());

        assertBlocked(r, "AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED");
        assertThat(sekisho.origin().requests()).noneMatch(q -> q.method().equals("PUT"));
        assertThat(deniedLine("AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED")).containsEntry("rule", "aws.s3.accessPoints.allow");
    }

    @Test
    void putObjectThroughTheCompanysListedAliasArrives() throws Exception {
        Path file = Files.writeString(tmp.resolve("corp-ap.txt"), "ledger\n");
        // Path style: the fake origin's certificate names no host this long; the alias is read from the path.
        Path config = Files.writeString(tmp.resolve("path-style.config"), "[default]\ns3 =\n    addressing_style = path\n");
        CommandResult r = cli().env("AWS_CONFIG_FILE", config.toString()).run("s3api", "put-object", "--bucket", CORP_AP,
                "--key", "k.txt", "--body", file.toString());

        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(sekisho.origin().requests()).anyMatch(q -> q.method().equals("PUT") && q.path().startsWith("/" + CORP_AP));
        CommandResult foreign = cli().env("AWS_CONFIG_FILE", config.toString()).run("s3api", "put-object", "--bucket",
                FOREIGN_AP, "--key", "k.txt", "--body", file.toString());
        assertBlocked(foreign, "AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED");
    }

    @Test
    void putObjectThroughAForeignMultiRegionAccessPointIsRefused() {
        AwsIdentities.Identity corp = AwsIdentities.longTerm(CORPORATE);
        CommandResult r = curl().run("-i", "-X", "PUT", "--data-binary", "ledger", "--aws-sigv4", "aws:amz:us-east-1:s3",
                "--user", corp.accessKeyId() + ":" + corp.secretAccessKey(),
                "https://x7k2m9q3wz8fp.mrap.accesspoint.s3-global.amazonaws.com/k.txt");

        assertThat(r.stdout()).as(r.describe()).contains("403").contains("AWS_MRAP_ALIAS_NOT_ALLOWED");
        assertThat(sekisho.origin().requests()).isEmpty();
    }

    // ---- point 6: customer endpoints admitted by a broad rule ------------------------------

    @Test
    void aCloudFrontDistributionAdmittedByDotCloudfrontIsReadOnly() throws Exception {
        CommandResult get = curl().run("-i", "https://d123abc.cloudfront.net/app.js?v=3");
        assertThat(get.stdout()).as(get.describe()).doesNotContain("X-Sekisho-Reason");
        assertThat(sekisho.origin().requestsTo("d123abc.cloudfront.net")).hasSize(1);

        CommandResult put = curl().run("-i", "-X", "PUT", "--data-binary", "customer ledger",
                "https://d123abc.cloudfront.net/upload/ledger.csv");
        assertThat(put.stdout()).as(put.describe()).contains("403").contains("AWS_CUSTOMER_ENDPOINT_WRITE");
        Path upload = Files.writeString(tmp.resolve("upload.csv"), "customer ledger\n");
        CommandResult post = curl().run("-i", "-F", "file=@" + upload,
                "https://d123abc.cloudfront.net/upload");
        assertThat(post.stdout()).as(post.describe()).contains("AWS_CUSTOMER_ENDPOINT_WRITE");
        assertThat(sekisho.origin().requestsTo("d123abc.cloudfront.net")).hasSize(1);
        assertThat(deniedLine("AWS_CUSTOMER_ENDPOINT_WRITE")).containsEntry("rule", ".cloudfront.net");
    }

    // ---- point 7: AWS-owned names the catalog does not know --------------------------------

    @Test
    void anUnknownAwsNameIsInterceptedReadAndRefusedAnUnsignedWrite() {
        CommandResult get = curl().run("-i", "https://newthing.aws.amazon.com/docs");
        assertThat(get.stdout()).as(get.describe()).doesNotContain("X-Sekisho-Reason");
        assertThat(sekisho.proxy().audit().await(l -> "GET".equals(l.get("method"))
                && "newthing.aws.amazon.com".equals(l.get("host")), Duration.ofSeconds(10)))
                .containsEntry("verdict", "ALLOW").containsEntry("reason", "AWS_NO_ACCOUNT_EVIDENCE");

        CommandResult post = curl().run("-i", "-H", "Content-Type: application/json", "--data-binary", "{\"doc\":\"x\"}",
                "https://newthing.aws.amazon.com/api");
        assertThat(post.stdout()).as(post.describe()).contains("403").contains("AWS_UNKNOWN_HOST_UNREADABLE");

        AwsIdentities.Identity foreign = AwsIdentities.longTerm(AwsIdentities.FOREIGN);
        CommandResult signed = curl().run("-i", "-H", "Content-Type: application/json", "--data-binary", "{}",
                "--aws-sigv4", "aws:amz:us-east-1:newthing", "--user", foreign.accessKeyId() + ":"
                + foreign.secretAccessKey(), "https://newthing.aws.amazon.com/api");
        assertThat(signed.stdout()).as(signed.describe()).contains("AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED");
        assertThat(sekisho.origin().requestsTo("newthing.aws.amazon.com")).extracting(RecordedRequest::method)
                .containsExactly("GET");
    }

    // ---- point 8: closed-network controls --------------------------------------------------

    @Test
    void assumeRoleOfAListedRoleWithoutMfaIsRefused() {
        CommandResult r = cli().run("sts", "assume-role", "--role-arn", MFA_ROLE, "--role-session-name", "ops");

        assertBlocked(r, "AWS_MFA_REQUIRED");
        assertThat(sekisho.origin().requests()).noneMatch(q -> "AssumeRole".equals(q.parameters().get("Action")));
    }

    @Test
    void assumeRoleOfAListedRoleWithMfaArrives() {
        cli().run("sts", "assume-role", "--role-arn", MFA_ROLE, "--role-session-name", "ops",
                "--serial-number", "arn:aws:iam::111122223333:mfa/ops", "--token-code", "123456");

        assertThat(sekisho.origin().requests()).anyMatch(q -> "AssumeRole".equals(q.parameters().get("Action"))
                && "123456".equals(q.parameters().get("TokenCode")));
    }

    static CommandResult startSession(String target, String document, String parameters) throws Exception {
        assumeTrue(CommandResult.onPath("python3").isPresent() || "true".equals(System.getenv("CI")),
                "python3 is not on PATH");
        Path script = Files.writeString(tmp.resolve("start_session.py"), START_SESSION);
        AwsIdentities.Identity id = AwsIdentities.longTerm(CORPORATE);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", tmp.toString());
        env.put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_ACCESS_KEY_ID", id.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", id.secretAccessKey());
        env.put("AWS_CA_BUNDLE", sekisho.caPem().toString());
        env.put("HTTPS_PROXY", "http://127.0.0.1:" + sekisho.port());
        env.put("NO_PROXY", "");
        Files.createDirectories(tmp.resolve("run"));
        return CommandResult.run(List.of("python3", script.toString(), target, document, parameters), env,
                tmp.resolve("run"), Duration.ofSeconds(60));
    }

    @Test
    void portForwardingToAnUnlistedRemoteHostIsRefused() throws Exception {
        CommandResult r = startSession("i-0abc1234", "AWS-StartPortForwardingSessionToRemoteHost",
                "{\"host\":[\"203.0.113.9\"],\"portNumber\":[\"22\"],\"localPortNumber\":[\"2222\"]}");

        assertThat(r.stdout()).as(r.describe()).startsWith("ERROR AccessDenied")
                .contains("AWS_SESSION_REMOTE_HOST_NOT_ALLOWED");
        assertThat(sekisho.origin().requests()).noneMatch(q -> q.header("X-Amz-Target").isPresent());
    }

    @Test
    void aShellSessionIsRefusedAndAListedForwardingArrives() throws Exception {
        CommandResult shell = startSession("i-0abc1234", "SSM-SessionManagerRunShell", "{}");
        assertThat(shell.stdout()).as(shell.describe()).contains("AWS_SESSION_DOCUMENT_NOT_ALLOWED");
        CommandResult other = startSession("i-0fff0000", "AWS-StartPortForwardingSession", "{\"portNumber\":[\"22\"]}");
        assertThat(other.stdout()).as(other.describe()).contains("AWS_SESSION_TARGET_NOT_ALLOWED");

        startSession("i-0abc1234", "AWS-StartPortForwardingSessionToRemoteHost",
                "{\"host\":[\"db.corp.internal\"],\"portNumber\":[\"5432\"],\"localPortNumber\":[\"5432\"]}");
        assertThat(sekisho.origin().requests()).filteredOn(q -> q.header("X-Amz-Target").isPresent()).singleElement()
                .satisfies(q -> assertThat(q.bodyText()).contains("db.corp.internal"));
    }
}
