package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI v1 against the fake origin, without a proxy ({@code --endpoint-url
 * https://127.0.0.1:port}, {@code AWS_CA_BUNDLE} = the test CA): proves the fake's answers parse in
 * botocore, so a failing CLI in the final e2e tests means the proxy, not the fake.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AwsCliAgainstFakeOriginTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static AwsCli cli;

    @BeforeAll
    static void start() {
        assumeTrue(AwsCli.available(), "the AWS CLI (aws) is not on PATH");
        TestPki pki = TestPki.create(tmp.resolve("pki"));
        origin = FakeAwsOrigin.start(pki);
        cli = AwsCli.direct(tmp.resolve("cli"), pki.caPem()).identity(AwsIdentities.longTerm(CORPORATE))
                .endpointUrl("https://127.0.0.1:" + origin.httpsPort());
    }

    @AfterAll
    static void stop() {
        if (origin != null) {
            origin.close();
        }
    }

    @BeforeEach
    void reset() {
        origin.clearRequests();
    }

    /** Every request reached the origin exactly as the CLI signed it (SigV4 recomputed at the origin). */
    private static void assertSignaturesVerify() {
        String secret = AwsIdentities.longTerm(CORPORATE).secretAccessKey();
        assertThat(origin.requests()).isNotEmpty().allSatisfy(r ->
                assertThat(SigV4Verifier.verify(r, secret).valid()).as("%s\n%s", r, SigV4Verifier.verify(r, secret)).isTrue());
    }

    @Test
    void s3CpUploadsWithAwsChunkedAndExpectContinue() throws Exception {
        Path file = Files.writeString(tmp.resolve("small.txt"), "hello from the e2e fixtures\n");

        CommandResult result = cli.run("s3", "cp", file.toString(), "s3://corp-data-bucket/uploads/small.txt");

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        RecordedRequest put = origin.lastRequest().orElseThrow();
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.header("Content-Encoding")).hasValue("aws-chunked");
        assertThat(put.expectContinue()).isTrue();
        assertThat(put.accessKeyId()).hasValue(AwsIdentities.longTerm(CORPORATE).accessKeyId());
        assertThat(origin.s3().object("corp-data-bucket", "uploads/small.txt").orElseThrow().content())
                .isEqualTo(Files.readAllBytes(file));
        assertSignaturesVerify();
    }

    @Test
    void s3CpMultipartUploadReassemblesTheParts() throws Exception {
        byte[] content = new byte[9 * 1024 * 1024]; // above the CLI's 8 MiB multipart threshold
        new Random(7).nextBytes(content);
        Path file = Files.write(tmp.resolve("big.bin"), content);

        CommandResult result = cli.run("s3", "cp", file.toString(), "s3://corp-data-bucket/uploads/big.bin");

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(origin.requests()).extracting(r -> r.method() + " " + r.rawQuery().replaceAll("=.*", ""))
                .contains("POST uploads", "PUT uploadId", "POST uploadId");
        assertThat(origin.s3().object("corp-data-bucket", "uploads/big.bin").orElseThrow().content()).isEqualTo(content);
        assertSignaturesVerify();
    }

    @Test
    void s3CpDownloadsAndS3LsLists() throws Exception {
        origin.s3().putObject("corp-data-bucket", "reports/q3.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        Path target = tmp.resolve("q3.csv");

        CommandResult download = cli.run("s3", "cp", "s3://corp-data-bucket/reports/q3.csv", target.toString());
        CommandResult list = cli.run("s3", "ls", "s3://corp-data-bucket/reports/");

        assertThat(download.succeeded()).as(download.describe()).isTrue();
        assertThat(Files.readString(target)).isEqualTo("a,b\n1,2\n");
        assertThat(list.succeeded()).as(list.describe()).isTrue();
        assertThat(list.stdout()).contains("q3.csv");
    }

    @Test
    void s3apiPutObjectPrintsTheEtag() throws Exception {
        Path file = Files.writeString(tmp.resolve("api.txt"), "put-object body");

        CommandResult result = cli.run("s3api", "put-object", "--bucket", "corp-data-bucket", "--key", "api.txt",
                "--body", file.toString());

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(JSON.readTree(result.stdout()).path("ETag").asText())
                .isEqualTo(origin.s3().object("corp-data-bucket", "api.txt").orElseThrow().etag());
    }

    @Test
    void stsGetCallerIdentityNamesTheSignersAccount() throws Exception {
        CommandResult result = cli.run("sts", "get-caller-identity");

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(JSON.readTree(result.stdout()).path("Account").asText()).isEqualTo(CORPORATE);
    }

    @Test
    void stsAssumeRoleReturnsKeysOfTheRolesAccount() throws Exception {
        CommandResult result = cli.run("sts", "assume-role", "--role-arn", "arn:aws:iam::" + FOREIGN + ":role/PartnerAccess",
                "--role-session-name", "e2e");

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        JsonNode out = JSON.readTree(result.stdout());
        assertThat(AwsIdentities.accountOf(out.path("Credentials").path("AccessKeyId").asText())).hasValue(FOREIGN);
        assertThat(out.path("AssumedRoleUser").path("Arn").asText()).isEqualTo("arn:aws:sts::" + FOREIGN
                + ":assumed-role/PartnerAccess/e2e");
        assertThat(origin.lastRequest().orElseThrow().form()).containsEntry("RoleArn",
                "arn:aws:iam::" + FOREIGN + ":role/PartnerAccess");
        assertSignaturesVerify();
    }

    @Test
    void sqsSendMessageSpeaksJsonAndPassesTheMd5Check() throws Exception {
        CommandResult result = cli.run("sqs", "send-message", "--queue-url",
                "https://sqs.us-east-1.amazonaws.com/" + CORPORATE + "/corp-queue", "--message-body", "hello queue");

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(JSON.readTree(result.stdout()).path("MD5OfMessageBody").asText())
                .isEqualTo(FakeQueryApis.md5Hex("hello queue"));
        RecordedRequest request = origin.lastRequest().orElseThrow();
        assertThat(request.header("X-Amz-Target")).hasValue("AmazonSQS.SendMessage");
        assertThat(request.bodyText()).contains("/" + CORPORATE + "/corp-queue");
        assertSignaturesVerify();
    }

    @Test
    void ec2ModifySnapshotAttributeSharingToAnotherAccountSucceeds() {
        CommandResult result = cli.run("ec2", "modify-snapshot-attribute", "--snapshot-id", "snap-0123456789abcdef0",
                "--attribute", "createVolumePermission", "--operation-type", "add", "--user-ids", FOREIGN);

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        RecordedRequest request = origin.lastRequest().orElseThrow();
        assertThat(request.form()).containsEntry("Action", "ModifySnapshotAttribute").containsEntry("UserId.1", FOREIGN);
        assertThat(request.signingService()).hasValue("ec2");
        assertSignaturesVerify();
    }
}
