package io.sekisho.policy.aws.credentials;

import static io.sekisho.policy.aws.Forms.CONTENT_TYPE;
import static io.sekisho.policy.aws.Forms.CORP;
import static io.sekisho.policy.aws.Forms.CORP2;
import static io.sekisho.policy.aws.Forms.FOREIGN;
import static io.sekisho.policy.aws.Forms.multipart;
import static io.sekisho.policy.aws.Forms.presignedQuery;
import static io.sekisho.policy.aws.Forms.scope;
import static io.sekisho.policy.aws.Forms.sigv4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sekisho.policy.aws.Forms;
import io.sekisho.policy.aws.Req;
import io.sekisho.policy.aws.credentials.ExtractedCredential.Problem;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

public class CredentialExtractorTest {
    /** The body cut {@code after} characters past {@code marker}: what a PREFIX read hands over. */
    public static String cut(String body, String marker, int after) {
        return body.substring(0, body.indexOf(marker) + after);
    }

    private static final String S3 = "https://corp-data-bucket.s3.amazonaws.com/k.txt";
    private static final String STS = "https://sts.us-east-1.amazonaws.com/";
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String SIG = "ab".repeat(32);

    static Stream<Arguments> carriers() {
        return Stream.of(
            arguments("sigv4 header", Req.of("GET", S3).header("Authorization", sigv4(CORP, "us-east-1", "s3")),
                    SigningForm.SIGV4_HEADER, CORP, "s3", "us-east-1", "header:Authorization"),
            arguments("sigv4 header, no spaces after commas", Req.of("GET", S3).header("Authorization",
                    "AWS4-HMAC-SHA256 Credential=" + scope(CORP, "eu-west-1", "s3") + ",SignedHeaders=host,Signature=" + SIG),
                    SigningForm.SIGV4_HEADER, CORP, "s3", "eu-west-1", "header:Authorization"),
            arguments("sigv4 header, tabs and spaces around '='", Req.of("GET", S3).header("Authorization",
                    "  AWS4-HMAC-SHA256\tCredential = " + scope(CORP, "us-east-1", "s3") + " ,  SignedHeaders=host , Signature=" + SIG),
                    SigningForm.SIGV4_HEADER, CORP, "s3", "us-east-1", "header:Authorization"),
            arguments("sigv4 header, spaces instead of commas", Req.of("GET", S3).header("Authorization",
                    "AWS4-HMAC-SHA256 Credential=" + scope(CORP, "us-east-1", "s3") + " SignedHeaders=host Signature=" + SIG),
                    SigningForm.SIGV4_HEADER, CORP, "s3", "us-east-1", "header:Authorization"),
            arguments("sigv4 header, parameter and algorithm in other case", Req.of("GET", S3).header("authorization",
                    "aws4-hmac-sha256 credential=" + scope(CORP, "us-east-1", "s3") + ", signedheaders=host, signature=" + SIG),
                    SigningForm.SIGV4_HEADER, CORP, "s3", "us-east-1", "header:Authorization"),
            arguments("sigv4 header, Signature before Credential", Req.of("GET", S3).header("Authorization",
                    "AWS4-HMAC-SHA256 Signature=" + SIG + ", SignedHeaders=host, Credential=" + scope(CORP, "us-east-1", "s3")),
                    SigningForm.SIGV4_HEADER, CORP, "s3", "us-east-1", "header:Authorization"),
            arguments("sigv4 presigned query", Req.of("GET", S3 + "?" + presignedQuery(FOREIGN, "us-east-1", "s3")),
                    SigningForm.SIGV4_QUERY, FOREIGN, "s3", "us-east-1", "query:X-Amz-Credential"),
            arguments("sigv4 presigned query, lower-case names", Req.of("GET", S3 + "?x-amz-algorithm=AWS4-HMAC-SHA256"
                    + "&x-amz-credential=" + FOREIGN + "%2F20261122%2Fus-east-1%2Fs3%2Faws4_request&x-amz-signature=" + SIG),
                    SigningForm.SIGV4_QUERY, FOREIGN, "s3", "us-east-1", "query:X-Amz-Credential"),
            arguments("sigv4 presigned query, percent-encoded parameter name", Req.of("GET", S3 + "?X-Amz-%43redential="
                    + FOREIGN + "%2F20261122%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=" + SIG),
                    SigningForm.SIGV4_QUERY, FOREIGN, "s3", "us-east-1", "query:X-Amz-Credential"),
            arguments("sigv4a header, region set header", Req.of("GET", "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/k")
                    .header("Authorization", "AWS4-ECDSA-P256-SHA256 Credential=" + CORP + "/20261122/s3/aws4_request, "
                            + "SignedHeaders=host;x-amz-region-set, Signature=3045022100ab")
                    .header("X-Amz-Region-Set", "us-east-1,us-west-2"),
                    SigningForm.SIGV4A_HEADER, CORP, "s3", "us-east-1,us-west-2", "header:Authorization"),
            arguments("sigv4a presigned query", Req.of("GET", S3 + "?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential="
                    + CORP + "%2F20261122%2Fs3%2Faws4_request&X-Amz-Region-Set=*&X-Amz-Signature=3045"),
                    SigningForm.SIGV4A_QUERY, CORP, "s3", "*", "query:X-Amz-Credential"),
            arguments("sigv2 header", Req.of("PUT", S3).header("Authorization", "AWS " + FOREIGN + ":DoEis+fDjp/e8RSmGupCsgF9XhM="),
                    SigningForm.SIGV2_HEADER, FOREIGN, "", "", "header:Authorization"),
            arguments("sigv2 query", Req.of("GET", S3 + "?AWSAccessKeyId=" + CORP2 + "&Signature=R2cN%2Bsf9&Expires=1795359812"),
                    SigningForm.SIGV2_QUERY, CORP2, "", "", "query:AWSAccessKeyId"),
            arguments("sigv2 query-API form body", Req.of("POST", "https://ec2.eu-west-1.amazonaws.com/")
                    .header("Content-Type", FORM)
                    .body("Action=DescribeInstances&Version=2016-11-15&AWSAccessKeyId=" + FOREIGN
                            + "&SignatureVersion=2&SignatureMethod=HmacSHA256&Timestamp=2026-11-22T14%3A00%3A00Z&Signature=abc%3D"),
                    SigningForm.SIGV2_QUERY, FOREIGN, "", "", "body:form:AWSAccessKeyId"),
            arguments("sigv3 header", Req.of("POST", "https://route53.amazonaws.com/2013-04-01/hostedzone")
                    .header("X-Amzn-Authorization", "AWS3-HTTPS AWSAccessKeyId=" + CORP + ",Algorithm=HmacSHA256,Signature=abc="),
                    SigningForm.SIGV3_HEADER, CORP, "", "", "header:X-Amzn-Authorization"),
            arguments("S3 POST form, SigV4 fields", Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).body(multipart("key", "k.txt", "x-amz-algorithm", "AWS4-HMAC-SHA256",
                            "x-amz-credential", scope(FOREIGN, "us-east-1", "s3"), "policy", "eyJ9", "x-amz-signature", SIG,
                            "file", "data")),
                    SigningForm.POST_FORM_V4, FOREIGN, "s3", "us-east-1", "body:form-field:x-amz-credential"),
            arguments("S3 POST form, SigV2 fields in other case", Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).body(multipart("key", "k.txt", "awsaccesskeyid", CORP2,
                            "Policy", "eyJ9", "Signature", "abc=", "file", "data")),
                    SigningForm.POST_FORM_V2, CORP2, "", "", "body:form-field:AWSAccessKeyId"),
            arguments("S3 POST form read only up to the file part", Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).partialBody(cut(multipart("key", "k.txt", "x-amz-credential",
                            scope(CORP, "us-east-1", "s3"), "policy", "eyJ9", "file", "x".repeat(100)), "f.txt", 40)),
                    SigningForm.POST_FORM_V4, CORP, "s3", "us-east-1", "body:form-field:x-amz-credential"),
            arguments("Bedrock short-term key", Req.of("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse")
                    .header("Authorization", "Bearer " + Forms.bedrockShortTermKey(FOREIGN)),
                    SigningForm.BEARER, FOREIGN, "bedrock", "us-east-1", "header:Authorization"),
            arguments("EKS token", Req.of("GET", "https://ABCDEF.gr7.us-west-2.eks.amazonaws.com/api/v1/pods")
                    .header("Authorization", "Bearer " + Forms.eksToken(Forms.CORP_TEMP)),
                    SigningForm.BEARER, Forms.CORP_TEMP, "sts", "us-west-2", "header:Authorization"),
            arguments("same key in header and query", Req.of("GET", S3 + "?" + presignedQuery(CORP, "us-east-1", "s3"))
                    .header("Authorization", sigv4(CORP, "us-east-1", "s3")),
                    SigningForm.SIGV4_HEADER, CORP, "s3", "us-east-1", "header:Authorization"),
            arguments("no credential", Req.of("GET", S3), SigningForm.NONE, "", "", "", ""),
            arguments("S3 POST form without credentials (anonymous)", Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).body(multipart("key", "k.txt", "file", "data")),
                    SigningForm.NONE, "", "", "", ""),
            arguments("S3 POST form fields after the file are ignored, as S3 ignores them",
                    Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/").header("Content-Type", CONTENT_TYPE)
                            .body(multipart("key", "k.txt", "file", "data", "AWSAccessKeyId", FOREIGN)),
                    SigningForm.NONE, "", "", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("carriers")
    void findsTheKeyInEveryCarrier(String name, Req req, SigningForm form, String key, String service, String region,
            String location) {
        ExtractedCredential c = new CredentialExtractor().extract(req.facts());
        assertThat(c.problem()).isEqualTo(Problem.NONE);
        assertThat(c.form()).isEqualTo(form);
        assertThat(c.accessKeyId()).isEqualTo(key);
        assertThat(c.service()).isEqualTo(service);
        assertThat(c.region()).isEqualTo(region);
        assertThat(c.location()).isEqualTo(location);
    }

    static Stream<Arguments> problems() {
        return Stream.of(
            arguments("header key and presigned key differ", Req.of("GET", S3 + "?" + presignedQuery(FOREIGN, "us-east-1", "s3"))
                    .header("Authorization", sigv4(CORP, "us-east-1", "s3")), Problem.CONFLICT),
            arguments("two Authorization headers with different keys", Req.of("GET", S3)
                    .header("Authorization", sigv4(CORP, "us-east-1", "s3"))
                    .header("Authorization", sigv4(FOREIGN, "us-east-1", "s3")), Problem.CONFLICT),
            arguments("two Credential parameters in one header", Req.of("GET", S3).header("Authorization",
                    "AWS4-HMAC-SHA256 Credential=" + scope(CORP, "us-east-1", "s3") + ", Credential="
                            + scope(FOREIGN, "us-east-1", "s3") + ", SignedHeaders=host, Signature=" + SIG), Problem.CONFLICT),
            arguments("two X-Amz-Credential parameters", Req.of("GET", S3 + "?" + presignedQuery(CORP, "us-east-1", "s3")
                    + "&X-Amz-Credential=" + FOREIGN + "%2F20261122%2Fus-east-1%2Fs3%2Faws4_request"), Problem.CONFLICT),
            arguments("header key and query-API body key differ", Req.of("POST", STS).header("Content-Type", FORM)
                    .header("Authorization", sigv4(CORP, "us-east-1", "sts"))
                    .body("Action=GetCallerIdentity&AWSAccessKeyId=" + FOREIGN), Problem.CONFLICT),
            arguments("header key and S3 POST field differ", Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).header("Authorization", sigv4(CORP, "us-east-1", "s3"))
                    .body(multipart("AWSAccessKeyId", FOREIGN, "policy", "eyJ9", "file", "d")), Problem.CONFLICT),
            arguments("S3 POST form with two different credential fields", Req.of("POST", "https://b.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).body(multipart("x-amz-credential", scope(CORP, "us-east-1", "s3"),
                            "X-Amz-Credential", scope(FOREIGN, "us-east-1", "s3"), "file", "d")), Problem.CONFLICT),
            arguments("sigv4 without Credential", Req.of("GET", S3).header("Authorization",
                    "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + SIG), Problem.MALFORMED),
            arguments("sigv4 scope with too few parts", Req.of("GET", S3).header("Authorization",
                    "AWS4-HMAC-SHA256 Credential=" + CORP + "/20261122/s3/aws4_request, Signature=" + SIG), Problem.MALFORMED),
            arguments("sigv4 scope with a wrong terminator", Req.of("GET", S3).header("Authorization",
                    "AWS4-HMAC-SHA256 Credential=" + CORP + "/20261122/us-east-1/s3/aws5_request, Signature=" + SIG),
                    Problem.MALFORMED),
            arguments("sigv4 scope with a bad date", Req.of("GET", S3).header("Authorization",
                    "AWS4-HMAC-SHA256 Credential=" + CORP + "/2026-11-22/us-east-1/s3/aws4_request"), Problem.MALFORMED),
            arguments("non-base32 key ID", Req.of("GET", S3).header("Authorization",
                    sigv4("ASIAc29tZXRoaW5nCg==", "us-east-1", "s3")), Problem.MALFORMED),
            arguments("sigv2 header without a colon", Req.of("GET", S3).header("Authorization", "AWS " + CORP), Problem.MALFORMED),
            arguments("sigv2 header with a bad key", Req.of("GET", S3).header("Authorization", "AWS AKIA123:sig"), Problem.MALFORMED),
            arguments("sigv3 without AWSAccessKeyId", Req.of("GET", "https://route53.amazonaws.com/")
                    .header("X-Amzn-Authorization", "AWS3-HTTPS Algorithm=HmacSHA256,Signature=x"), Problem.MALFORMED),
            arguments("unknown AWS algorithm", Req.of("GET", S3).header("Authorization",
                    "AWS4-HMAC-SHA512 Credential=" + scope(CORP, "us-east-1", "s3")), Problem.MALFORMED),
            arguments("unknown scheme", Req.of("GET", S3).header("Authorization", "Negotiate YII="), Problem.MALFORMED),
            arguments("presigned credential with a bad escape", Req.of("GET", S3 + "?X-Amz-Credential=" + CORP + "%ZZ"),
                    Problem.MALFORMED),
            arguments("Bedrock key that is not base64", Req.of("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/")
                    .header("Authorization", "Bearer bedrock-api-key-!!!notbase64"), Problem.MALFORMED),
            arguments("EKS token without a credential", Req.of("GET", "https://x.gr7.us-west-2.eks.amazonaws.com/")
                    .header("Authorization", "Bearer k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_QWN0aW9uPUdldENhbGxlcklkZW50aXR5"),
                    Problem.MALFORMED),
            arguments("S3 POST form cut before its file part", Req.of("POST", "https://b.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).partialBody(cut(multipart("key", "k", "x-amz-credential",
                            scope(CORP, "us-east-1", "s3"), "policy", "eyJ9".repeat(50), "file", "d"), "eyJ9", 20)),
                    Problem.BODY_INCOMPLETE),
            arguments("S3 POST form part without a name", Req.of("POST", "https://b.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).body("--" + Forms.BOUNDARY + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--"
                            + Forms.BOUNDARY + "--\r\n"), Problem.BODY_MALFORMED),
            arguments("S3 POST form without a boundary", Req.of("POST", "https://b.s3.amazonaws.com/")
                    .header("Content-Type", "multipart/form-data").body("x"), Problem.BODY_MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void conflictsAndMalformedCredentialsAreReported(String name, Req req, Problem expected) {
        assertThat(new CredentialExtractor().extract(req.facts()).problem()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("opaque")
    void tokensThatNameNoKeyAreOpaque(String name, Req req, SigningForm form, String declaredAccount) {
        ExtractedCredential c = new CredentialExtractor().extract(req.facts());
        assertThat(c.problem()).isEqualTo(Problem.NONE);
        assertThat(c.form()).isEqualTo(form);
        assertThat(c.hasKey()).isFalse();
        assertThat(c.present()).isTrue();
        assertThat(c.declaredAccount()).isEqualTo(declaredAccount);
    }

    static Stream<Arguments> opaque() {
        return Stream.of(
            arguments("Bedrock long-term key states its account", Req.of("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/")
                    .header("Authorization", "Bearer " + Forms.bedrockLongTermKey("999988887777")), SigningForm.BEARER,
                    "999988887777"),
            arguments("other bearer token", Req.of("GET", "https://codecatalyst.global.api.aws/v1/spaces")
                    .header("Authorization", "Bearer eyJhbGciOi.x.y"), SigningForm.BEARER, ""),
            arguments("ECR registry Basic login", Req.of("GET", "https://999988887777.dkr.ecr.us-east-1.amazonaws.com/v2/")
                    .header("Authorization", "Basic QVdTOmV5SnBZWGxzYjJGa0lq"), SigningForm.BASIC, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sessionTokens")
    void sessionTokenPresenceIsNoted(String name, Req req) {
        ExtractedCredential c = new CredentialExtractor().extract(req.facts());
        assertThat(c.sessionToken()).isTrue();
        assertThat(AccessKeys.keyType(c.accessKeyId())).isEqualTo(KeyType.TEMPORARY);
    }

    static Stream<Arguments> sessionTokens() {
        return Stream.of(
            arguments("header", Req.of("GET", S3).header("Authorization", sigv4(Forms.CORP_TEMP, "us-east-1", "s3"))
                    .header("X-Amz-Security-Token", "IQoJb3JpZ2luX2VjEXAMPLE")),
            arguments("query", Req.of("GET", S3 + "?" + presignedQuery(Forms.CORP_TEMP, "us-east-1", "s3")
                    + "&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE")),
            arguments("S3 POST field", Req.of("POST", "https://b.s3.amazonaws.com/").header("Content-Type", CONTENT_TYPE)
                    .body(multipart("x-amz-credential", scope(Forms.CORP_TEMP, "us-east-1", "s3"),
                            "x-amz-security-token", "IQoJb3JpZ2luX2VjEXAMPLE", "file", "d"))));
    }
}
