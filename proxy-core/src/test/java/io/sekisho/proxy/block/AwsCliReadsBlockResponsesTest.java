package io.sekisho.proxy.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.sekisho.e2e.AwsCli;
import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.CommandResult;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.FakeResponse;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.e2e.TestPki;
import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI v1 prints Sekisho's reason from each dialect. An origin on 127.0.0.1 answers
 * the CLI's call with exactly the bytes {@link BlockResponses#standard} produces for the recorded
 * request (its Accept and Content-Type included), so what is checked is botocore's parser on our
 * body, with the proxy left out.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AwsCliReadsBlockResponsesTest {
    private static final String FOREIGN = "999988887777";
    private static final String ID = "01JDE5Y3K9Q2W7RZ8T4M6N0PXA";

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static AwsCli cli;

    @BeforeAll
    static void start() {
        assumeTrue(AwsCli.available(), "the AWS CLI (aws) is not on PATH");
        TestPki pki = TestPki.create(tmp.resolve("pki"));
        origin = FakeAwsOrigin.start(pki);
        cli = AwsCli.direct(tmp.resolve("cli"), pki.caPem()).identity(AwsIdentities.longTerm(AwsIdentities.CORPORATE))
                .endpointUrl("http://127.0.0.1:" + origin.httpPort());
    }

    @AfterAll
    static void stop() {
        if (origin != null) {
            origin.close();
        }
    }

    /** Answers matching requests as Sekisho would block them with {@code decision}. */
    private static void blockWith(Predicate<RecordedRequest> matcher, Decision decision) {
        origin.override(matcher, recorded -> {
            HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(recorded.method()),
                    recorded.path());
            recorded.header("Accept").ifPresent(v -> req.headers().set("Accept", v));
            recorded.header("Content-Type").ifPresent(v -> req.headers().set("Content-Type", v));
            FullHttpResponse r = BlockResponses.standard("").forRequest(decision, req, recorded.host(), ID, true,
                    UnpooledByteBufAllocator.DEFAULT);
            try {
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                r.headers().forEach(h -> {
                    if (!h.getKey().equalsIgnoreCase("Content-Length")) {
                        headers.add(Map.entry(h.getKey(), h.getValue()));
                    }
                });
                return new FakeResponse(r.status().code(), headers, ByteBufUtil.getBytes(r.content()));
            } finally {
                r.release();
            }
        });
    }

    private static Decision denied(Reason reason, AwsProtocol protocol, String service, String principal,
            List<String> resources) {
        return Decision.deny(reason, "aws.accounts.allow").withEvidence(Evidence.builder().protocol(protocol)
                .service(service).principalAccount(principal).resourceAccounts(resources).build());
    }

    private static void assertPrintsTheReason(CommandResult result, String code, String message) {
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).as(result.describe())
                .contains("AccessDenied").contains(code).contains(message).contains(FOREIGN).contains(ID);
    }

    @Test
    void s3ApiPutObjectPrintsTheRestXmlError() throws Exception {
        Path file = Files.writeString(tmp.resolve("put.txt"), "data\n");
        blockWith(r -> r.method().equals("PUT") && r.path().startsWith("/exfil-bucket/"),
                denied(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, AwsProtocol.REST_XML, "s3", FOREIGN, List.of()));

        CommandResult result = cli.run("s3api", "put-object", "--bucket", "exfil-bucket", "--key", "a.txt",
                "--body", file.toString());

        assertPrintsTheReason(result, "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED",
                "Blocked by Sekisho: AWS account " + FOREIGN + " is not an allowed account");
    }

    @Test
    void s3CpPrintsTheRestXmlError() throws Exception {
        Path file = Files.writeString(tmp.resolve("cp.txt"), "data\n");
        blockWith(r -> r.method().equals("PUT") && r.path().startsWith("/exfil-cp/"),
                denied(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, AwsProtocol.REST_XML, "s3", FOREIGN, List.of()));

        CommandResult result = cli.run("s3", "cp", file.toString(), "s3://exfil-cp/b.txt");

        assertPrintsTheReason(result, "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED",
                "Blocked by Sekisho: AWS account " + FOREIGN + " is not an allowed account");
    }

    @Test
    void stsAssumeRolePrintsTheQueryError() {
        blockWith(r -> "AssumeRole".equals(r.parameters().get("Action")),
                denied(Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED, AwsProtocol.QUERY, "sts",
                        AwsIdentities.CORPORATE, List.of(FOREIGN)));

        CommandResult result = cli.run("sts", "assume-role", "--role-arn", "arn:aws:iam::" + FOREIGN + ":role/Exfil",
                "--role-session-name", "exfil-session");

        assertPrintsTheReason(result, "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED",
                "Blocked by Sekisho: The request acts on AWS account " + FOREIGN + ", which is not an allowed account");
        assertThat(result.stderr()).contains("when calling the AssumeRole operation");
    }

    @Test
    void sqsSendMessagePrintsTheJsonError() {
        // CLI v1 speaks awsJson1.0 to SQS (corpus awscli-v1/sqs-send-message--01).
        blockWith(r -> r.header("X-Amz-Target").filter("AmazonSQS.SendMessage"::equals).isPresent(),
                denied(Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED, AwsProtocol.JSON, "sqs",
                        AwsIdentities.CORPORATE, List.of(FOREIGN)));

        CommandResult result = cli.run("sqs", "send-message", "--queue-url",
                "https://sqs.us-east-1.amazonaws.com/" + FOREIGN + "/exfil", "--message-body", "hello");

        assertPrintsTheReason(result, "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED",
                "Blocked by Sekisho: The request acts on AWS account " + FOREIGN + ", which is not an allowed account");
        assertThat(result.stderr()).contains("when calling the SendMessage operation");
    }
}
