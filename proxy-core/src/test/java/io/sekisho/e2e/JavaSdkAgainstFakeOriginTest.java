package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * The AWS SDK for Java v2 against the fake origin, without a proxy: real AWS host names (virtual-
 * hosted S3 included) resolved to 127.0.0.1, TLS verified against the test CA.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaSdkAgainstFakeOriginTest {

    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static JavaSdk sdk;

    @BeforeAll
    static void start() {
        origin = FakeAwsOrigin.start(TestPki.create(tmp.resolve("pki")));
        sdk = JavaSdk.direct(origin);
    }

    @AfterAll
    static void stop() {
        sdk.close();
        origin.close();
    }

    @BeforeEach
    void reset() {
        origin.clearRequests();
    }

    @Test
    void s3PutThenGetRoundTripsThroughVirtualHostedAddressing() {
        try (S3Client s3 = sdk.s3(AwsIdentities.longTerm(CORPORATE), Region.US_EAST_1)) {
            s3.putObject(b -> b.bucket("corp-data-bucket").key("sdk/hello.txt"), RequestBody.fromString("hello sdk"));
            String back = s3.getObjectAsBytes(b -> b.bucket("corp-data-bucket").key("sdk/hello.txt")).asUtf8String();

            assertThat(back).isEqualTo("hello sdk");
        }
        RecordedRequest put = origin.requests().get(0);
        assertThat(put.sni()).isEqualTo("corp-data-bucket.s3.us-east-1.amazonaws.com");
        assertThat(put.path()).isEqualTo("/sdk/hello.txt");
        assertThat(put.accessKeyId()).hasValue(AwsIdentities.longTerm(CORPORATE).accessKeyId());
        String secret = AwsIdentities.longTerm(CORPORATE).secretAccessKey();
        assertThat(origin.requests()).allSatisfy(r -> assertThat(SigV4Verifier.verify(r, secret).valid()).as(r.toString()).isTrue());
    }

    @Test
    void stsGetCallerIdentityAndAssumeRoleParse() {
        try (StsClient sts = sdk.sts(AwsIdentities.temporary(CORPORATE), Region.US_EAST_1)) {
            assertThat(sts.getCallerIdentity().account()).isEqualTo(CORPORATE);

            AssumeRoleResponse assumed = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + FOREIGN + ":role/PartnerAccess")
                    .roleSessionName("sdk"));

            assertThat(AwsIdentities.accountOf(assumed.credentials().accessKeyId())).hasValue(FOREIGN);
            assertThat(assumed.credentials().expiration()).isAfter(java.time.Instant.now());
        }
        AwsIdentities.Identity caller = AwsIdentities.temporary(CORPORATE);
        assertThat(origin.requests()).allSatisfy(r -> {
            assertThat(r.header("X-Amz-Security-Token")).hasValue(caller.sessionToken());
            assertThat(SigV4Verifier.verify(r, caller.secretAccessKey()).valid()).as(r.toString()).isTrue();
        });
    }
}
