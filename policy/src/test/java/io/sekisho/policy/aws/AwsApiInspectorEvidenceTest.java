package io.sekisho.policy.aws;

import static io.sekisho.policy.aws.Forms.CONTENT_TYPE;
import static io.sekisho.policy.aws.Forms.CORP;
import static io.sekisho.policy.aws.Forms.OLD;
import static io.sekisho.policy.aws.Forms.multipart;
import static io.sekisho.policy.aws.Forms.sigv4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Reason;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the inspector asks to read, what it records, and the key-lookup hand-off. */
class AwsApiInspectorEvidenceTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    static Stream<Arguments> bodyNeeds() {
        int limit = Settings.BODY_LIMIT;
        return Stream.of(
            arguments("S3 PutObject streams", Req.of("PUT", "https://b.s3.amazonaws.com/k").declaredBody(10), BodyNeed.NONE),
            arguments("aws-chunked streams", Req.of("PUT", "https://b.s3.amazonaws.com/k").header("Content-Encoding", "aws-chunked")
                    .header("Transfer-Encoding", "chunked"), BodyNeed.NONE),
            arguments("S3 UploadPart streams", Req.of("PUT", "https://b.s3.amazonaws.com/k?partNumber=1&uploadId=u").declaredBody(10),
                    BodyNeed.NONE),
            arguments("S3 POST form: prefix up to the file", Req.of("POST", "https://b.s3.amazonaws.com/")
                    .header("Content-Type", CONTENT_TYPE).declaredBody(1_000_000), BodyNeed.prefix(AwsWireFacts.POST_FORM_PREFIX_BYTES)),
            arguments("S3 bucket policy", Req.of("PUT", "https://b.s3.amazonaws.com/?policy").declaredBody(10), BodyNeed.whole(limit)),
            arguments("S3 CompleteMultipartUpload streams", Req.of("POST", "https://b.s3.amazonaws.com/k?uploadId=u").declaredBody(10),
                    BodyNeed.NONE),
            arguments("Query-protocol form", Req.of("POST", "https://sts.amazonaws.com/").header("Content-Type", FORM).declaredBody(10),
                    BodyNeed.whole(limit)),
            arguments("JSON protocol", Req.of("POST", "https://kms.us-east-1.amazonaws.com/").header("X-Amz-Target", "TrentService.Encrypt")
                    .declaredBody(10), BodyNeed.whole(limit)),
            arguments("REST-JSON with a JSON body", Req.of("POST", "https://ram.us-east-1.amazonaws.com/createresourceshare")
                    .header("Content-Type", "application/json").declaredBody(10), BodyNeed.whole(limit)),
            arguments("Lambda invocation payload streams", Req.of("POST",
                    "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/f/invocations").header("Content-Type", "application/json")
                    .declaredBody(10), BodyNeed.NONE),
            arguments("no body", Req.of("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity"), BodyNeed.NONE),
            arguments("untyped body to an API is read", Req.of("POST", "https://sts.amazonaws.com/").declaredBody(10),
                    BodyNeed.whole(limit)),
            arguments("binary body to an API streams", Req.of("PUT", "https://ebs.us-east-1.amazonaws.com/snapshots/s/blocks/1")
                    .header("Content-Type", "application/octet-stream").declaredBody(524288), BodyNeed.NONE),
            arguments("empty body", Req.of("POST", "https://sts.amazonaws.com/").header("Content-Type", FORM).declaredBody(0),
                    BodyNeed.NONE),
            arguments("EKS cluster API is not an AWS protocol", Req.of("POST", "https://x.gr7.us-west-2.eks.amazonaws.com/api/v1/pods")
                    .header("Content-Type", "application/json").declaredBody(10), BodyNeed.NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodyNeeds")
    void asksOnlyForBodiesThatCanNameAnAccount(String name, Req req, BodyNeed expected) {
        assertThat(Settings.inspector(Settings.BASE).bodyNeed(req.facts(), HostClass.AWS_API)).isEqualTo(expected);
    }

    @Test
    void asksForNothingWhenChecksAreOff() {
        Req form = Req.of("POST", "https://sts.amazonaws.com/").header("Content-Type", FORM).declaredBody(10);
        assertThat(Settings.inspector(Settings.OFF).bodyNeed(form.facts(), HostClass.AWS_API)).isEqualTo(BodyNeed.NONE);
    }

    static Stream<Arguments> evidence() {
        return Stream.of(
            arguments("S3 PutObject with temporary credentials", Req.of("PUT", "https://corp-data-bucket.s3.amazonaws.com/k")
                    .header("Authorization", sigv4(Forms.CORP_TEMP, "us-east-1", "s3")).header("X-Amz-Security-Token", "IQo")
                    .declaredBody(3),
                    new Evidence("111122223333", List.of(), "ASIA…34AW", "temporary", "s3", "us-east-1", "s3:PutObject",
                            "sigv4-header", "", "", AwsProtocol.REST_XML)),
            arguments("SQS JSON", Req.of("POST", "https://sqs.us-east-1.amazonaws.com/").header("Authorization", sigv4(CORP, "us-east-1", "sqs"))
                    .header("X-Amz-Target", "AmazonSQS.SendMessage").header("Content-Type", "application/x-amz-json-1.0")
                    .body("{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/444455556666/q\",\"MessageBody\":\"m\"}"),
                    new Evidence("111122223333", List.of("444455556666"), "AKIA…SG5Y", "long-term", "sqs", "us-east-1",
                            "sqs:SendMessage", "sigv4-header", "", "", AwsProtocol.JSON)),
            arguments("STS query protocol", Req.of("POST", "https://sts.us-east-1.amazonaws.com/")
                    .header("Authorization", sigv4(CORP, "us-east-1", "sts")).header("Content-Type", FORM)
                    .body("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2FR"),
                    new Evidence("111122223333", List.of("444455556666"), "AKIA…SG5Y", "long-term", "sts", "us-east-1",
                            "sts:AssumeRole", "sigv4-header", "", "", AwsProtocol.QUERY)),
            arguments("anonymous S3 read: region from the host", Req.of("GET", "https://public-datasets-x.s3.eu-west-1.amazonaws.com/k"),
                    new Evidence("", List.of(), "", "", "s3", "eu-west-1", "s3:GetObject", "none", "", "", AwsProtocol.REST_XML)),
            arguments("S3 POST form", Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/").header("Content-Type", CONTENT_TYPE)
                    .body(multipart("key", "k", "x-amz-credential", Forms.scope(CORP, "us-east-1", "s3"), "policy", "e30=", "file", "d")),
                    new Evidence("111122223333", List.of(), "AKIA…SG5Y", "long-term", "s3", "us-east-1", "s3:PostObject",
                            "post-form", "", "", AwsProtocol.REST_XML)),
            arguments("SigV4a: the region set stands for the region", Req.of("GET",
                    "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/k").header("Authorization",
                    "AWS4-ECDSA-P256-SHA256 Credential=" + CORP + "/20261122/s3/aws4_request, SignedHeaders=host, Signature=30")
                    .header("X-Amz-Region-Set", "*"),
                    new Evidence("111122223333", List.of(), "AKIA…SG5Y", "long-term", "s3", "*", "s3:GetObject", "sigv4a", "",
                            "", AwsProtocol.REST_XML)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evidence")
    void recordsTheEvidence(String name, Req req, Evidence expected) {
        Decision d = Settings.inspector(Settings.BASE).decide(req.facts(), HostClass.AWS_API);
        assertThat(d.allowed()).as(d.reason().name()).isTrue();
        assertThat(d.evidence()).isEqualTo(expected);
    }

    @Test
    void evidenceNeverHoldsASecret() {
        Req req = Req.of("GET", "https://b.s3.amazonaws.com/k?" + Forms.presignedQuery(Forms.FOREIGN_TEMP, "us-east-1", "s3")
                + "&X-Amz-Security-Token=IQoJb3JpZ2luX2VjSECRET");
        Decision d = Settings.inspector(Settings.BASE).decide(req.facts(), HostClass.AWS_API);
        assertThat(d.reason()).isEqualTo(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED);
        assertThat(d.evidence().toString()).doesNotContain(Forms.FOREIGN_TEMP).doesNotContain("SECRET").doesNotContain("cdcdcd");
        assertThat(d.evidence().principalAccount()).isEqualTo("999988887777");
    }

    /** A KeyLookup the proxy would fill from sts:GetAccessKeyInfo, off the event loop. */
    private static final class CachedLookup implements KeyLookup {
        final Map<String, String> cache = new ConcurrentHashMap<>();

        @Override
        public Optional<String> cached(String accessKeyId) {
            return Optional.ofNullable(cache.get(accessKeyId));
        }

        @Override
        public boolean enabled() {
            return true;
        }
    }

    @Test
    void unresolvableKeyIsNamedForLookupThenDecidedFromTheCache() {
        CachedLookup lookup = new CachedLookup();
        AwsApiInspector inspector = new AwsApiInspector(Settings.BASE, Settings.BODY_LIMIT, AwsHostCatalog.builtIn(), lookup);
        Req req = Req.of("GET", "https://corp-data-bucket.s3.amazonaws.com/k").header("Authorization", sigv4(OLD, "us-east-1", "s3"));

        assertThat(inspector.decide(req.facts(), HostClass.AWS_API).reason()).isEqualTo(Reason.AWS_KEY_UNRESOLVABLE);
        assertThat(inspector.keyNeedingLookup(req.facts())).contains(OLD);

        lookup.cache.put(OLD, "444455556666");
        Decision d = inspector.decide(req.facts(), HostClass.AWS_API);
        assertThat(d.reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
        assertThat(d.evidence().principalAccount()).isEqualTo("444455556666");
        assertThat(inspector.keyNeedingLookup(req.facts())).isEmpty();

        lookup.cache.put(OLD, "999988887777");
        assertThat(inspector.decide(req.facts(), HostClass.AWS_API).reason()).isEqualTo(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED);
    }

    @Test
    void noLookupIsAskedForDecodableKeysOrWithoutAResolver() {
        Req decodable = Req.of("GET", "https://b.s3.amazonaws.com/k").header("Authorization", sigv4(CORP, "us-east-1", "s3"));
        Req old = Req.of("GET", "https://b.s3.amazonaws.com/k").header("Authorization", sigv4(OLD, "us-east-1", "s3"));
        AwsApiInspector withLookup = new AwsApiInspector(Settings.BASE, 1024, AwsHostCatalog.builtIn(), new CachedLookup());
        assertThat(withLookup.keyNeedingLookup(decodable.facts())).isEmpty();
        assertThat(Settings.inspector(Settings.BASE).keyNeedingLookup(old.facts())).isEmpty();
        assertThat(new AwsApiInspector(Settings.STATIC_KEY, 1024, AwsHostCatalog.builtIn(), new CachedLookup())
                .keyNeedingLookup(old.facts())).isEmpty();
    }

    @Test
    void handlesOnlyApiEndpoints() {
        AwsApiInspector inspector = Settings.inspector(Settings.BASE);
        HostName h = HostName.parse("sts.amazonaws.com");
        assertThat(inspector.handles(HostClass.AWS_API, h)).isTrue();
        for (HostClass c : new HostClass[] {HostClass.NOT_AWS, HostClass.AWS_SIGNIN_CONSOLE, HostClass.AWS_STATIC,
                HostClass.AWS_CUSTOMER_ENDPOINT}) {
            assertThat(inspector.handles(c, h)).as(c.name()).isFalse();
        }
    }
}
