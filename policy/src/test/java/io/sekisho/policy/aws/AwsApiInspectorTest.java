package io.sekisho.policy.aws;

import static io.sekisho.policy.aws.Forms.CONTENT_TYPE;
import static io.sekisho.policy.aws.Forms.CORP;
import static io.sekisho.policy.aws.Forms.CORP2;
import static io.sekisho.policy.aws.Forms.FOREIGN;
import static io.sekisho.policy.aws.Forms.OLD;
import static io.sekisho.policy.aws.Forms.multipart;
import static io.sekisho.policy.aws.Forms.presignedQuery;
import static io.sekisho.policy.aws.Forms.scope;
import static io.sekisho.policy.aws.Forms.sigv4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import io.sekisho.policy.aws.credentials.CredentialExtractorTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AwsApiInspectorTest {
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String JSON10 = "application/x-amz-json-1.0";
    private static final String CORP_S3 = "https://corp-data-bucket.s3.amazonaws.com/k.txt";
    private static final String STS = "https://sts.us-east-1.amazonaws.com/";

    private static Req signed(String method, String url, String key, String service) {
        return Req.of(method, url).header("Authorization", sigv4(key, "us-east-1", service)).header("X-Amz-Date", "20261122T140332Z");
    }

    private static Req put(String url, String key) {
        return signed("PUT", url, key, "s3").header("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD").declaredBody(5);
    }

    private static Req sts(String key, String body) {
        return signed("POST", STS, key, "sts").header("Content-Type", FORM).body(body);
    }

    private static Req unsigned(String method, String url) {
        return Req.of(method, url);
    }

    static Stream<Arguments> decisions() {
        AwsSettings base = Settings.BASE;
        AwsSettings buckets = Settings.BUCKETS;
        return Stream.of(
            // --- principal account
            arguments("corporate key", base, put(CORP_S3, CORP), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("second corporate account", base, put(CORP_S3, CORP2), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("foreign key", base, put(CORP_S3, FOREIGN), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
            arguments("foreign presigned PUT", base, Req.of("PUT", CORP_S3 + "?" + presignedQuery(FOREIGN, "us-east-1", "s3"))
                    .declaredBody(5), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
            arguments("foreign SigV2 header", base, Req.of("PUT", CORP_S3).header("Authorization", "AWS " + FOREIGN + ":x=")
                    .declaredBody(5), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
            arguments("old-format key", base, put(CORP_S3, OLD), Reason.AWS_KEY_UNRESOLVABLE),
            arguments("old-format key in aws.keys", Settings.STATIC_KEY, put(CORP_S3, OLD), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("old-format key, unresolvableKeys: allow", Settings.LENIENT, put(CORP_S3, OLD), Reason.AWS_NO_ACCOUNT_EVIDENCE),
            arguments("two keys", base, put(CORP_S3 + "?" + presignedQuery(FOREIGN, "us-east-1", "s3"), CORP),
                    Reason.AWS_CREDENTIAL_CONFLICT),
            arguments("malformed key", base, put(CORP_S3, "ASIAc29tZXRoaW5nCg=="), Reason.AWS_CREDENTIAL_MALFORMED),
            arguments("opaque bearer token", base, Req.of("GET", "https://codecatalyst.global.api.aws/v1/spaces")
                    .header("Authorization", "Bearer abc"), Reason.AWS_KEY_UNRESOLVABLE),
            arguments("foreign Bedrock long-term key", base, Req.of("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse")
                    .header("Authorization", "Bearer " + Forms.bedrockLongTermKey("999988887777")).declaredBody(10),
                    Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
            arguments("foreign Bedrock short-term key", base, Req.of("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke")
                    .header("Authorization", "Bearer " + Forms.bedrockShortTermKey(FOREIGN)).declaredBody(10),
                    Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
            arguments("foreign EKS token", base, Req.of("GET", "https://ABCDEF.gr7.us-west-2.eks.amazonaws.com/api/v1/pods")
                    .header("Authorization", "Bearer " + Forms.eksToken(Forms.FOREIGN_TEMP)), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
            arguments("corporate EKS token", base, Req.of("GET", "https://ABCDEF.gr7.us-west-2.eks.amazonaws.com/api/v1/pods")
                    .header("Authorization", "Bearer " + Forms.eksToken(Forms.CORP_TEMP)), Reason.AWS_ACCOUNT_ALLOWED),
            // --- anonymous requests
            arguments("anonymous read of an anonymousRead bucket", base,
                    unsigned("GET", "https://public-datasets-bucket.s3.amazonaws.com/hello.txt"), Reason.AWS_NO_ACCOUNT_EVIDENCE),
            arguments("anonymous HEAD, path style", base,
                    unsigned("HEAD", "https://s3.eu-west-1.amazonaws.com/public-datasets-eu/hello.txt"), Reason.AWS_NO_ACCOUNT_EVIDENCE),
            arguments("anonymous read of another bucket", base, unsigned("GET", CORP_S3), Reason.AWS_ANONYMOUS_READ_NOT_ALLOWED),
            arguments("anonymous ListBuckets", base, unsigned("GET", "https://s3.amazonaws.com/"), Reason.AWS_ANONYMOUS_READ_NOT_ALLOWED),
            arguments("anonymous read through an access point", base,
                    unsigned("GET", "https://ap-111122223333.s3-accesspoint.us-east-1.amazonaws.com/k"), Reason.AWS_ANONYMOUS_READ_NOT_ALLOWED),
            arguments("anonymous PUT", base, unsigned("PUT", "https://public-datasets-bucket.s3.amazonaws.com/k").declaredBody(3),
                    Reason.AWS_ANONYMOUS_WRITE),
            arguments("anonymous DELETE", base, unsigned("DELETE", "https://public-datasets-bucket.s3.amazonaws.com/k"),
                    Reason.AWS_ANONYMOUS_WRITE),
            arguments("anonymous PATCH", base, unsigned("PATCH", "https://lambda.us-east-1.amazonaws.com/x"), Reason.AWS_ANONYMOUS_WRITE),
            arguments("anonymous POST form upload", base, Req.of("POST", "https://public-datasets-bucket.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).body(multipart("key", "k", "file", "data")), Reason.AWS_ANONYMOUS_WRITE),
            arguments("CORS preflight", base, unsigned("OPTIONS", CORP_S3).header("Origin", "https://app.example")
                    .header("Access-Control-Request-Method", "PUT"), Reason.AWS_NO_ACCOUNT_EVIDENCE),
            arguments("anonymous read outside S3", base, unsigned("GET",
                    "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json"), Reason.AWS_NO_ACCOUNT_EVIDENCE),
            arguments("anonymous Cognito user-pool write", base, Req.of("POST", "https://cognito-idp.us-east-1.amazonaws.com/")
                    .header("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp").header("Content-Type", "application/x-amz-json-1.1")
                    .body("{\"ClientId\":\"c\",\"Username\":\"u\",\"Password\":\"p\"}"), Reason.AWS_ANONYMOUS_WRITE),
            arguments("unsigned AssumeRoleWithWebIdentity, corporate role", base, Req.of("POST", STS).header("Content-Type", FORM)
                    .body("Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FR&WebIdentityToken=t"),
                    Reason.AWS_ACCOUNT_ALLOWED),
            arguments("unsigned AssumeRoleWithWebIdentity, foreign role", base, Req.of("POST", STS).header("Content-Type", FORM)
                    .body("Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3A999988887777%3Arole%2FR&WebIdentityToken=t"),
                    Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("unsigned AssumeRoleWithSAML in the query, foreign role", base, unsigned("GET",
                    "https://sts.amazonaws.com/?Action=AssumeRoleWithSAML&RoleArn=arn:aws:iam::999988887777:role/R"
                            + "&PrincipalArn=arn:aws:iam::999988887777:saml-provider/P&SAMLAssertion=x"), Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("unsigned AssumeRoleWithSAML without a role", base, Req.of("POST", STS).header("Content-Type", FORM)
                    .body("Action=AssumeRoleWithSAML&SAMLAssertion=x"), Reason.AWS_ANONYMOUS_WRITE),
            arguments("unsigned AssumeRole (not an unsigned operation)", base, Req.of("POST", STS).header("Content-Type", FORM)
                    .body("Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FR"), Reason.AWS_ANONYMOUS_WRITE),
            arguments("Cognito GetId for a foreign account", base, Req.of("POST", "https://cognito-identity.us-east-1.amazonaws.com/")
                    .header("X-Amz-Target", "AWSCognitoIdentityService.GetId").header("Content-Type", "application/x-amz-json-1.1")
                    .body("{\"AccountId\":\"999988887777\",\"IdentityPoolId\":\"us-east-1:p\"}"), Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("Cognito GetCredentialsForIdentity", base, Req.of("POST", "https://cognito-identity.us-east-1.amazonaws.com/")
                    .header("X-Amz-Target", "AWSCognitoIdentityService.GetCredentialsForIdentity")
                    .header("Content-Type", "application/x-amz-json-1.1").body("{\"IdentityId\":\"us-east-1:i\"}"),
                    Reason.AWS_NO_ACCOUNT_EVIDENCE),
            // --- resource accounts with corporate keys
            arguments("AssumeRole into a foreign role", base, sts(CORP,
                    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A999988887777%3Arole%2FR&RoleSessionName=s"),
                    Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("AssumeRole into a foreign role, Content-Type left out", base, signed("POST", STS, CORP, "sts")
                    .body("Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A999988887777%3Arole%2FR&RoleSessionName=s"),
                    Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("AssumeRole into a corporate role", base, sts(CORP,
                    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2FR&RoleSessionName=s"),
                    Reason.AWS_ACCOUNT_ALLOWED),
            arguments("SendMessage to a foreign queue", base, signed("POST", "https://sqs.us-east-1.amazonaws.com/", CORP, "sqs")
                    .header("X-Amz-Target", "AmazonSQS.SendMessage").header("Content-Type", JSON10)
                    .body("{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/999988887777/q\",\"MessageBody\":\"x\"}"),
                    Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("snapshot shared to a foreign account", base, signed("POST", "https://ec2.us-east-1.amazonaws.com/", CORP, "ec2")
                    .header("Content-Type", FORM).body("Action=ModifySnapshotAttribute&SnapshotId=snap-1"
                            + "&CreateVolumePermission.Add.1.UserId=999988887777&Version=2016-11-15"), Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("image made public", base, signed("POST", "https://ec2.us-east-1.amazonaws.com/", CORP, "ec2")
                    .header("Content-Type", FORM).body("Action=ModifyImageAttribute&ImageId=ami-1&LaunchPermission.Add.1.Group=all"),
                    Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("foreign access point", base, signed("GET", "https://ap-999988887777.s3-accesspoint.us-west-2.amazonaws.com/k",
                    CORP, "s3"), Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("aws-chunked upload with a foreign owner claim (headers only)", base, signed("PUT", CORP_S3, CORP, "s3")
                    .header("Content-Encoding", "aws-chunked").header("X-Amz-Content-SHA256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                    .header("Transfer-Encoding", "chunked").header("x-amz-expected-bucket-owner", "999988887777"),
                    Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("docker push to a foreign registry", base, Req.of("PUT",
                    "https://999988887777.dkr.ecr.us-east-1.amazonaws.com/v2/r/manifests/latest").header("Authorization", "Basic QVdTOnQ=")
                    .declaredBody(100), Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("docker push to a corporate registry", base, Req.of("PUT",
                    "https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/r/manifests/latest").header("Authorization", "Basic QVdTOnQ=")
                    .declaredBody(100), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("docker registry probe", base, unsigned("GET", "https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/"),
                    Reason.AWS_ACCOUNT_ALLOWED),
            // --- S3 POST forms
            arguments("corporate S3 POST form", base, Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).body(multipart("key", "k", "x-amz-credential", scope(CORP, "us-east-1", "s3"),
                            "policy", "eyJ9", "file", "data")), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("foreign S3 POST form", base, Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).body(multipart("key", "k", "AWSAccessKeyId", FOREIGN,
                            "policy", "eyJ9", "file", "data")), Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED),
            arguments("S3 POST form cut before the file part", base, Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).partialBody(CredentialExtractorTest.cut(multipart("key", "k",
                            "x-amz-credential", scope(CORP, "us-east-1", "s3"), "policy", "eyJ9", "file", "data"), "x-amz-cred", 5)),
                    Reason.BODY_TOO_LARGE_TO_INSPECT),
            // --- bodies that must be seen
            arguments("JSON body larger than the limit", base, signed("POST", "https://sqs.us-east-1.amazonaws.com/", CORP, "sqs")
                    .header("X-Amz-Target", "AmazonSQS.SendMessage").header("Content-Type", JSON10)
                    .partialBody("{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/111122223333/q\",\"MessageBody\":\"xx"),
                    Reason.BODY_TOO_LARGE_TO_INSPECT),
            arguments("form body not handed over", base, signed("POST", STS, CORP, "sts").header("Content-Type", FORM).declaredBody(80),
                    Reason.BODY_TOO_LARGE_TO_INSPECT),
            arguments("malformed JSON body", base, signed("POST", "https://kms.us-east-1.amazonaws.com/", CORP, "kms")
                    .header("X-Amz-Target", "TrentService.Encrypt").header("Content-Type", "application/x-amz-json-1.1")
                    .body("{\"KeyId\": arn:aws:kms"), Reason.BODY_MALFORMED),
            // --- S3 bucket allowlist
            arguments("corporate key, foreign bucket", buckets, put("https://partner-exfil-bucket.s3.amazonaws.com/k", CORP),
                    Reason.AWS_BUCKET_NOT_ALLOWED),
            arguments("corporate key, foreign bucket path style", buckets,
                    put("https://s3.us-east-1.amazonaws.com/partner-exfil-bucket/k", CORP), Reason.AWS_BUCKET_NOT_ALLOWED),
            arguments("corporate key, allowed bucket", buckets, put(CORP_S3, CORP), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("corporate key, allowed dotted bucket", buckets, signed("GET", "https://s3.amazonaws.com/corp.data.bucket?list-type=2",
                    CORP, "s3"), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("copy from a foreign bucket", buckets, put(CORP_S3, CORP).header("x-amz-copy-source", "/partner-exfil-bucket/k"),
                    Reason.AWS_BUCKET_NOT_ALLOWED),
            arguments("ListBuckets names no bucket", buckets, signed("GET", "https://s3.amazonaws.com/", CORP, "s3"),
                    Reason.AWS_ACCOUNT_ALLOWED),
            arguments("anonymous read outside the bucket allowlist", buckets,
                    unsigned("GET", "https://public-datasets-bucket.s3.amazonaws.com/k"), Reason.AWS_BUCKET_NOT_ALLOWED),
            arguments("bucket allowlist does not apply outside S3", buckets, sts(CORP, "Action=GetCallerIdentity&Version=2011-06-15"),
                    Reason.AWS_ACCOUNT_ALLOWED),
            // --- AWS checks off
            arguments("no accounts configured: foreign key passes", Settings.OFF, put(CORP_S3, FOREIGN), Reason.DOMAIN_ALLOWED),
            arguments("no accounts configured: anonymous write passes", Settings.OFF, unsigned("PUT", CORP_S3).declaredBody(3),
                    Reason.DOMAIN_ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decides(String name, AwsSettings settings, Req req, Reason expected) {
        Decision d = Settings.inspector(settings).decide(req.facts(), HostClass.AWS_API);
        assertThat(d.reason()).isEqualTo(expected);
        assertThat(d.verdict()).isEqualTo(expected.verdict());
        assertThat(d.wouldDeny()).isFalse();
    }
}
