package io.sekisho.e2e.aws;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.CORPORATE_2;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.e2e.AwsCli;
import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.CommandResult;
import io.sekisho.e2e.Curl;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.e2e.SigV4Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 point 9 with the real AWS CLI v1 and curl through Sekisho: allowed-account calls arrive
 * at the origin with their signature still valid; blocked calls never arrive, the audit line and
 * {@code X-Sekisho-Reason} carry the reason code, and the CLI prints AccessDenied, Sekisho's
 * message and the account.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AwsApiScenariosTest {
    @TempDir
    static Path tmp;
    static SekishoForAws sekisho;

    @BeforeAll
    static void start() {
        sekisho = SekishoForAws.start(tmp);
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

    static AwsCli cli(AwsIdentities.Identity identity) {
        assumeTrue(AwsCli.available(), "the AWS CLI (aws) is not on PATH");
        return AwsCli.viaProxy(tmp.resolve("cli"), sekisho.caPem(), sekisho.port()).identity(identity)
                .region("us-east-1");
    }

    static Curl curl() {
        assumeTrue(Curl.available(), "curl is not on PATH");
        return Curl.viaProxy(tmp, sekisho.caPem(), sekisho.port());
    }

    static Map<String, Object> audit(Predicate<Map<String, Object>> p) {
        return sekisho.proxy().audit().await(p, Duration.ofSeconds(10));
    }

    static Predicate<Map<String, Object>> line(String method, String hostPrefix, String pathPrefix) {
        return l -> method.equals(l.get("method")) && String.valueOf(l.get("host")).startsWith(hostPrefix)
                && String.valueOf(l.get("path")).startsWith(pathPrefix);
    }

    /** Arrived once per matching request, each with a signature the signer's secret still verifies. */
    static List<RecordedRequest> arrivedSigned(Predicate<RecordedRequest> which, AwsIdentities.Identity signer) {
        List<RecordedRequest> got = sekisho.origin().requests().stream().filter(which).toList();
        assertThat(got).as("at the origin: %s", sekisho.origin().requests()).isNotEmpty();
        for (RecordedRequest r : got) {
            SigV4Verifier.Result v = SigV4Verifier.verify(r, signer.secretAccessKey());
            assertThat(v.valid()).as("signature of %s %s", r.method(), r.path()).isTrue();
        }
        return got;
    }

    static void assertCliBlocked(CommandResult r, String reason, String account) {
        // What an operator sees, kept in the test output (it is scanned for secrets too).
        System.out.println(String.join(" ", r.command()) + "\n  exit " + r.exitCode() + ", stderr:\n" + r.stderr());
        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.stderr()).as(r.describe()).contains("AccessDenied").contains("Blocked by Sekisho")
                .contains(reason).contains(account);
    }

    /** botocore sends us-east-1 SQS calls to the legacy queue.amazonaws.com name. */
    static boolean isSqs(RecordedRequest q) {
        return q.host().startsWith("sqs.") || q.host().equals("queue.amazonaws.com");
    }

    // ---- allowed ------------------------------------------------------------------------

    @Test
    void s3CpWithCompanyCredentialsArrivesSignedAsSent() throws Exception {
        Path file = Files.writeString(tmp.resolve("small.txt"), "quarterly figures\n");
        CommandResult r = cli(AwsIdentities.longTerm(CORPORATE)).run("s3", "cp", file.toString(), "s3://corp-data/q.txt");

        assertThat(r.succeeded()).as(r.describe()).isTrue();
        arrivedSigned(q -> q.method().equals("PUT"), AwsIdentities.longTerm(CORPORATE));
        assertThat(sekisho.origin().s3().object("corp-data", "q.txt")).isPresent();
        Map<String, Object> a = audit(line("PUT", "corp-data.s3", "/q.txt"));
        assertThat(a).containsEntry("verdict", "ALLOW").containsEntry("reason", "AWS_ACCOUNT_ALLOWED")
                .containsEntry("principalAccount", CORPORATE).containsEntry("service", "s3")
                .containsEntry("region", "us-east-1").containsEntry("signing", "sigv4-header")
                .containsEntry("keyType", "long-term");
        String key = AwsIdentities.longTerm(CORPORATE).accessKeyId();
        assertThat(a).containsEntry("accessKeyId", key.substring(0, 4) + "\u2026" + key.substring(key.length() - 4));
    }

    @Test
    void s3CpMultipartWithCompanyCredentialsArrives() throws Exception {
        Path file = tmp.resolve("big.bin");
        Files.write(file, new byte[9 * 1024 * 1024]);
        CommandResult r = cli(AwsIdentities.longTerm(CORPORATE_2)).run("s3", "cp", file.toString(),
                "s3://corp-data/big.bin");

        assertThat(r.succeeded()).as(r.describe()).isTrue();
        List<RecordedRequest> parts = arrivedSigned(q -> q.method().equals("PUT") && q.query().containsKey("partNumber"),
                AwsIdentities.longTerm(CORPORATE_2));
        assertThat(parts).hasSizeGreaterThanOrEqualTo(2);
        arrivedSigned(q -> q.method().equals("POST") && q.query().containsKey("uploads"), AwsIdentities.longTerm(CORPORATE_2));
    }

    @Test
    void stsGetCallerIdentityArrivesSigned() {
        AwsIdentities.Identity id = AwsIdentities.temporary(CORPORATE);
        CommandResult r = cli(id).run("sts", "get-caller-identity");

        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(r.stdout()).contains(CORPORATE);
        RecordedRequest call = arrivedSigned(q -> q.host().startsWith("sts."), id).get(0);
        assertThat(call.header("X-Amz-Security-Token")).hasValue(id.sessionToken());
        assertThat(audit(line("POST", "sts.", "/"))).containsEntry("verdict", "ALLOW")
                .containsEntry("keyType", "temporary").containsEntry("action", "sts:GetCallerIdentity");
    }

    @Test
    void sqsSendMessageToACompanyQueueArrives() {
        CommandResult r = cli(AwsIdentities.longTerm(CORPORATE)).run("sqs", "send-message", "--queue-url",
                "https://sqs.us-east-1.amazonaws.com/" + CORPORATE_2 + "/orders", "--message-body",
                "order 999988887777 shipped");

        assertThat(r.succeeded()).as(r.describe()).isTrue();
        arrivedSigned(AwsApiScenariosTest::isSqs, AwsIdentities.longTerm(CORPORATE));
        assertThat(audit(l -> "sqs".equals(l.get("service")) && "ALLOW".equals(l.get("verdict"))))
                .containsEntry("resourceAccounts", List.of(CORPORATE_2));
    }

    @Test
    void snapshotSharedWithACompanyAccountArrives() {
        CommandResult r = cli(AwsIdentities.longTerm(CORPORATE)).run("ec2", "modify-snapshot-attribute",
                "--snapshot-id", "snap-0123456789abcdef0", "--attribute", "createVolumePermission",
                "--operation-type", "add", "--user-ids", CORPORATE_2);

        assertThat(r.succeeded()).as(r.describe()).isTrue();
        arrivedSigned(q -> q.host().startsWith("ec2."), AwsIdentities.longTerm(CORPORATE));
    }

    // ---- blocked by the CLI -------------------------------------------------------------

    @Test
    void s3CpWithForeignCredentialsIsBlocked() throws Exception {
        Path file = Files.writeString(tmp.resolve("exfil.txt"), "customer list\n");
        CommandResult r = cli(AwsIdentities.longTerm(FOREIGN)).run("s3", "cp", file.toString(), "s3://exfil-drop/x.txt");

        assertCliBlocked(r, "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED", FOREIGN);
        assertThat(sekisho.origin().requests()).noneMatch(q -> q.method().equals("PUT"));
        Map<String, Object> a = audit(line("PUT", "exfil-drop.s3", "/x.txt"));
        assertThat(a).containsEntry("verdict", "DENY").containsEntry("reason", "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED")
                .containsEntry("principalAccount", FOREIGN).containsEntry("service", "s3")
                .containsEntry("region", "us-east-1").containsEntry("signing", "sigv4-header")
                .containsEntry("keyType", "long-term").containsEntry("action", "s3:PutObject");
        // The request id in the CLI's error (from the S3 XML body) is the audit line's.
        assertThat(r.stderr()).contains(String.valueOf(a.get("requestId")));
    }

    @Test
    void crossAccountAssumeRoleIntoAForeignRoleIsBlocked() {
        CommandResult r = cli(AwsIdentities.longTerm(CORPORATE)).run("sts", "assume-role", "--role-arn",
                "arn:aws:iam::" + FOREIGN + ":role/Exfil", "--role-session-name", "exfil-session");

        assertCliBlocked(r, "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED", FOREIGN);
        assertThat(sekisho.origin().requests()).noneMatch(q -> q.host().startsWith("sts."));
        assertThat(audit(l -> "sts:AssumeRole".equals(l.get("action")))).containsEntry("reason", "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED")
                .containsEntry("principalAccount", CORPORATE).containsEntry("resourceAccounts", List.of(FOREIGN));
    }

    @Test
    void sqsSendMessageToAForeignQueueIsBlocked() {
        CommandResult r = cli(AwsIdentities.longTerm(CORPORATE)).run("sqs", "send-message", "--queue-url",
                "https://sqs.us-east-1.amazonaws.com/" + FOREIGN + "/drop", "--message-body", "secrets");

        assertCliBlocked(r, "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED", FOREIGN);
        assertThat(sekisho.origin().requests()).noneMatch(AwsApiScenariosTest::isSqs);
        assertThat(audit(l -> "sqs".equals(l.get("service")) && "DENY".equals(l.get("verdict"))))
                .containsEntry("reason", "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED").containsEntry("resourceAccounts", List.of(FOREIGN));
    }

    @Test
    void snapshotSharedWithAForeignAccountIsBlocked() {
        CommandResult r = cli(AwsIdentities.longTerm(CORPORATE)).run("ec2", "modify-snapshot-attribute",
                "--snapshot-id", "snap-0123456789abcdef0", "--create-volume-permission",
                "Add=[{UserId=" + FOREIGN + "}]");

        assertCliBlocked(r, "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED", FOREIGN);
        assertThat(sekisho.origin().requests()).noneMatch(q -> q.host().startsWith("ec2."));
    }

    // ---- blocked, curl --------------------------------------------------------------------

    @Test
    void anonymousPutIsBlocked() throws Exception {
        Path file = Files.writeString(tmp.resolve("anon.txt"), "x");
        CommandResult r = curl().run("-sS", "-i", "-T", file.toString(), "https://open-bucket.s3.amazonaws.com/anon.txt");

        assertThat(r.stdout()).as(r.describe()).contains("HTTP/1.1 403").contains("X-Sekisho-Reason: AWS_ANONYMOUS_WRITE");
        assertThat(sekisho.origin().requests()).isEmpty();
        assertThat(audit(line("PUT", "open-bucket.s3", "/anon.txt"))).containsEntry("reason", "AWS_ANONYMOUS_WRITE")
                .containsEntry("signing", "none");
    }

    @Test
    void ec2PublicDnsNameIsRefusedAtConnect() {
        CommandResult r = curl().run("-sS", "-v", "https://ec2-203-0-113-5.compute-1.amazonaws.com/");

        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.stderr()).containsPattern("CONNECT tunnel failed, response 403|HTTP/1.1 403");
        assertThat(sekisho.origin().requests()).isEmpty();
        assertThat(audit(line("CONNECT", "ec2-203-0-113-5.", ""))).containsEntry("reason", "AWS_CUSTOMER_ENDPOINT");
    }
}
