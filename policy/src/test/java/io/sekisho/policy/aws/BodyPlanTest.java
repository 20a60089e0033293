package io.sekisho.policy.aws;

import static io.sekisho.policy.aws.Encodings.awsChunked;
import static io.sekisho.policy.aws.Encodings.bytes;
import static io.sekisho.policy.aws.Encodings.gzip;
import static io.sekisho.policy.aws.Encodings.zlib;
import static io.sekisho.policy.aws.Forms.CORP;
import static io.sekisho.policy.aws.Forms.sigv4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 18 point 3: a body that can carry account evidence is read for certain, or denied. The
 * rows first replay the red team's finding (corporate-signed calls naming the foreign account
 * 999988887777 that headers of the client's choosing used to wave through unread), then show
 * what is still not read: S3 object data and the catalog's data-plane paths, each on its own
 * service only.
 */
public class BodyPlanTest {
    public static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    public static final String STS = "https://sts.us-east-1.amazonaws.com/";
    public static final String SQS = "https://sqs.us-east-1.amazonaws.com/";
    public static final String FOREIGN_ROLE = "Action=AssumeRole&Version=2011-06-15"
            + "&RoleArn=arn%3Aaws%3Aiam%3A%3A999988887777%3Arole%2Fx&RoleSessionName=s";
    public static final String CORP_ROLE = FOREIGN_ROLE.replace("999988887777", "111122223333");
    public static final String FOREIGN_QUEUE = "{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/999988887777/q\",\"MessageBody\":\"x\"}";
    public static final String FOREIGN_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::corp-data-bucket/*\"}]}";

    public static Req signed(String method, String url, String service) {
        return Req.of(method, url).header("Authorization", sigv4(CORP, "us-east-1", service))
                .header("X-Amz-Date", "20261122T140332Z");
    }

    /** STS AssumeRole, form Content-Type unless {@code contentType} says otherwise. */
    public static Req assumeRole(String url, String contentType, String... headers) {
        Req r = signed("POST", url, "sts").header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return r;
    }

    public static Req sendMessage(String url, String... headers) {
        Req r = signed("POST", url, "sqs").header("X-Amz-Target", "AmazonSQS.SendMessage")
                .header("Content-Type", "application/x-amz-json-1.0");
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return r;
    }

    public static Stream<Arguments> finding() {
        Reason foreign = Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED;
        return Stream.of(
            // --- STS AssumeRole (Query form) plus one header or path of the client's choosing
            arguments("STS, STREAMING-UNSIGNED-PAYLOAD-TRAILER over a plain form", assumeRole(STS, FORM,
                    "X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER").body(FOREIGN_ROLE),
                    Reason.BODY_ENCODING_UNSUPPORTED),
            arguments("STS, Content-Encoding aws-chunked", assumeRole(STS, FORM, "Content-Encoding", "aws-chunked")
                    .body(awsChunked(FOREIGN_ROLE), true), foreign),
            arguments("STS, Content-Encoding aws-chunked over an unframed form", assumeRole(STS, FORM,
                    "Content-Encoding", "aws-chunked").body(FOREIGN_ROLE), Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("STS, Content-Encoding gzip", assumeRole(STS, FORM, "Content-Encoding", "gzip")
                    .body(gzip(bytes(FOREIGN_ROLE)), true), foreign),
            arguments("STS, Content-Encoding deflate", assumeRole(STS, FORM, "Content-Encoding", "deflate")
                    .body(zlib(bytes(FOREIGN_ROLE)), true), foreign),
            arguments("STS, Content-Type application/octet-stream", assumeRole(STS, "application/octet-stream")
                    .body(FOREIGN_ROLE), foreign),
            arguments("STS at /x/invocations", assumeRole(STS + "x/invocations", FORM).body(FOREIGN_ROLE), foreign),
            // --- SQS JSON SendMessage to a foreign queue
            arguments("SQS, STREAMING-AWS4-HMAC-SHA256-PAYLOAD with aws-chunked", sendMessage(SQS,
                    "X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "Content-Encoding", "aws-chunked")
                    .body(Encodings.awsChunked(bytes(FOREIGN_QUEUE), 20, true), true), foreign),
            arguments("SQS, STREAMING-AWS4-HMAC-SHA256-PAYLOAD alone", sendMessage(SQS,
                    "X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD").body(FOREIGN_QUEUE),
                    Reason.BODY_ENCODING_UNSUPPORTED),
            arguments("SQS, Content-Encoding AWS-CHUNKED", sendMessage(SQS, "Content-Encoding", "AWS-CHUNKED")
                    .body(awsChunked(FOREIGN_QUEUE), true), foreign),
            arguments("SQS at /invoke", sendMessage(SQS + "invoke").body(FOREIGN_QUEUE), foreign),
            // --- S3 PUT ?policy granting the foreign account, aws-chunked
            arguments("S3 PUT ?policy, aws-chunked", signed("PUT", "https://corp-data-bucket.s3.amazonaws.com/?policy", "s3")
                    .header("Content-Encoding", "aws-chunked").header("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                    .header("X-Amz-Decoded-Content-Length", Integer.toString(FOREIGN_POLICY.length()))
                    .body(awsChunked(FOREIGN_POLICY, "x-amz-checksum-crc32:AAAAAA=="), true), foreign),
            // --- and the same calls for the company's own account pass once read
            arguments("STS gzip, corporate role", assumeRole(STS, FORM, "Content-Encoding", "gzip")
                    .body(gzip(bytes(CORP_ROLE)), true), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("STS octet-stream, corporate role", assumeRole(STS, "application/octet-stream").body(CORP_ROLE),
                    Reason.AWS_ACCOUNT_ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finding")
    public void everyVariantOfTheFindingIsReadOrDenied(String name, Req req, Reason expected) {
        assertDecides(req, expected);
    }

    /** The corporate allowlist's decision on {@code req} has this reason and its verdict. */
    public static void assertDecides(Req req, Reason expected) {
        Decision d = Settings.inspector(Settings.BASE).decide(req.facts(), HostClass.AWS_API);
        assertThat(d.reason()).isEqualTo(expected);
        assertThat(d.verdict()).isEqualTo(expected.verdict());
    }

    /** Bodies read by the protocol the service speaks, and data-plane paths only where the catalog puts them. */
    public static Stream<Arguments> protocols() {
        Reason foreign = Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED;
        String lambda = "https://lambda.us-east-1.amazonaws.com";
        return Stream.of(
            arguments("Query service, no Content-Type", signed("POST", STS, "sts").body(FOREIGN_ROLE), foreign),
            arguments("Query service, JSON Content-Type: still a form", assumeRole(STS, "application/json").body(FOREIGN_ROLE),
                    foreign),
            arguments("Query service named with X-Amz-Target: read as JSON", assumeRole(STS, FORM,
                    "X-Amz-Target", "AWSSecurityTokenServiceV20110615.AssumeRole").body(FOREIGN_ROLE), Reason.BODY_MALFORMED),
            arguments("JSON service, text/plain Content-Type", signed("POST", "https://kms.us-east-1.amazonaws.com/", "kms")
                    .header("Content-Type", "text/plain").body("{\"KeyId\":\"arn:aws:kms:us-east-1:999988887777:key/k\"}"),
                    foreign),
            arguments("JSON service, octet-stream that is not JSON", signed("POST", "https://kms.us-east-1.amazonaws.com/", "kms")
                    .header("Content-Type", "application/octet-stream").body("KeyId=x"), Reason.BODY_MALFORMED),
            arguments("SQS (Query and JSON), form without a Content-Type", signed("POST", SQS, "sqs")
                    .body("Action=SendMessage&QueueUrl=https%3A%2F%2Fsqs.us-east-1.amazonaws.com%2F999988887777%2Fq"), foreign),
            arguments("unknown service, octet-stream", signed("POST", "https://newsvc.us-east-1.amazonaws.com/v1/share", "newsvc")
                    .header("Content-Type", "application/octet-stream").body("arn:aws:iam::999988887777:root"), foreign),
            arguments("Lambda policy (not a data plane)", signed("POST", lambda + "/2015-03-31/functions/f/policy", "lambda")
                    .header("Content-Type", "application/json").body("{\"Principal\":\"999988887777\"}"), foreign),
            arguments("Lambda invocations path on STS", assumeRole(STS + "2015-03-31/functions/f/invocations", FORM)
                    .body(FOREIGN_ROLE), foreign),
            arguments("Lambda invoke path with an encoded letter", signed("POST",
                    lambda + "/2015-03-31/functions/f/invoc%61tions", "lambda").body("{\"Principal\":\"999988887777\"}"), foreign),
            arguments("Lambda invoke path with a dot segment", signed("POST",
                    lambda + "/2015-03-31/functions/../invocations", "lambda").body("{\"Principal\":\"999988887777\"}"), foreign),
            arguments("Lambda invoke path one segment deeper", signed("POST",
                    lambda + "/2015-03-31/functions/f/x/invocations", "lambda").body("{\"Principal\":\"999988887777\"}"), foreign),
            arguments("second Content-Encoding line is not hidden", assumeRole(STS, FORM, "Content-Encoding", "identity",
                    "Content-Encoding", "gzip").body(gzip(bytes(FOREIGN_ROLE)), true), foreign));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    public void bodiesAreReadByTheProtocolOfTheService(String name, Req req, Reason expected) {
        AwsApiInspector aws = Settings.inspector(Settings.BASE);
        assertThat(aws.bodyNeed(req.facts(), HostClass.AWS_API).kind()).isEqualTo(BodyNeed.Kind.WHOLE);
        assertThat(aws.decide(req.facts(), HostClass.AWS_API).reason()).isEqualTo(expected);
    }

    /** What is not read, chosen by service and operation: the body streams, the headers decide. */
    public static Stream<Arguments> notRead() {
        String foreignPayload = "{\"RoleArn\":\"arn:aws:iam::999988887777:role/x\"}";
        return Stream.of(
            arguments("S3 PutObject, aws-chunked, STREAMING-UNSIGNED-PAYLOAD-TRAILER", signed("PUT",
                    "https://corp-data-bucket.s3.amazonaws.com/k.txt", "s3").header("Content-Encoding", "aws-chunked")
                    .header("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER").header("X-Amz-Trailer", "x-amz-checksum-crc32")
                    .header("X-Amz-Decoded-Content-Length", "44")
                    .body(awsChunked(foreignPayload, "x-amz-checksum-crc32:AAAAAA=="), true)),
            arguments("S3 PutObject, gzip object data, not even framed", signed("PUT",
                    "https://corp-data-bucket.s3.amazonaws.com/k.gz", "s3").header("Content-Encoding", "aws-chunked,gzip")
                    .header("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD").body("not framed at all")),
            arguments("S3 UploadPart, br", signed("PUT",
                    "https://corp-data-bucket.s3.amazonaws.com/k?partNumber=1&uploadId=u", "s3").header("Content-Encoding", "br")
                    .body(foreignPayload)),
            arguments("Lambda Invoke", signed("POST",
                    "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/f/invocations", "lambda").body(foreignPayload)),
            arguments("Lambda Invoke by ARN, gzip", signed("POST", "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/"
                    + "arn%3Aaws%3Alambda%3Aus-east-1%3A111122223333%3Afunction%3Af/invocations", "lambda")
                    .header("Content-Encoding", "gzip").body(foreignPayload)),
            arguments("Lambda InvokeAsync", signed("POST",
                    "https://lambda.us-east-1.amazonaws.com/2014-11-13/functions/f/invoke-async/", "lambda").body(foreignPayload)),
            arguments("Bedrock runtime invoke", signed("POST",
                    "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-v2/invoke", "bedrock")
                    .header("Content-Type", "application/json").body(foreignPayload)),
            arguments("Bedrock runtime converse, FIPS host", signed("POST",
                    "https://bedrock-runtime-fips.us-east-1.amazonaws.com/model/m/converse", "bedrock").body(foreignPayload)),
            arguments("SageMaker runtime invocations", signed("POST",
                    "https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/e/invocations", "sagemaker")
                    .header("Content-Type", "application/octet-stream").body(foreignPayload)),
            arguments("EBS direct PutSnapshotBlock", signed("PUT",
                    "https://ebs.us-east-1.amazonaws.com/snapshots/snap-1/blocks/7", "ebs")
                    .header("Content-Type", "application/octet-stream").body(foreignPayload)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notRead")
    public void objectDataAndDataPlanesAreNotRead(String name, Req req) {
        AwsApiInspector aws = Settings.inspector(Settings.BASE);
        assertThat(aws.bodyNeed(req.facts(), HostClass.AWS_API)).isEqualTo(BodyNeed.NONE);
        Decision d = aws.decide(req.facts(), HostClass.AWS_API);
        assertThat(d.reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
        assertThat(d.evidence().resourceAccounts()).doesNotContain("999988887777");
    }
}
