package io.sekisho.e2e.aws;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.CommandResult;
import io.sekisho.e2e.Curl;
import io.sekisho.e2e.JavaSdk;
import io.sekisho.e2e.SigV4Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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

/**
 * The AWS SDK for Java v2, presigned URLs and S3 POST forms through the real proxy and engine;
 * {@code Expect: 100-continue} on a form upload (curl sends it for bodies over 1 MiB).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class UploadsAndSdkScenariosTest {
    @TempDir
    static Path tmp;
    static SekishoForAws sekisho;
    static Path bigFile;

    @BeforeAll
    static void start() throws Exception {
        sekisho = SekishoForAws.start(tmp);
        bigFile = tmp.resolve("big.bin");
        Files.write(bigFile, new byte[1536 * 1024]);
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

    static Curl curl() {
        assumeTrue(Curl.available(), "curl is not on PATH");
        return Curl.viaProxy(tmp, sekisho.caPem(), sekisho.port());
    }

    static Map<String, Object> audit(String method, String host) {
        return sekisho.proxy().audit().await(l -> method.equals(l.get("method")) && host.equals(l.get("host"))
                && !"CONNECT".equals(l.get("method")), Duration.ofSeconds(10));
    }

    @Test
    void sdkPutGetAndStsWithCompanyCredentialsArrive() {
        AwsIdentities.Identity id = AwsIdentities.longTerm(CORPORATE);
        try (JavaSdk sdk = JavaSdk.viaProxy(sekisho.port(), sekisho.caCertificate());
                S3Client s3 = sdk.s3(id, Region.EU_WEST_1);
                StsClient sts = sdk.sts(id, Region.EU_WEST_1)) {
            s3.putObject(b -> b.bucket("corp-sdk").key("a.txt"), RequestBody.fromString("through sekisho"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("corp-sdk").key("a.txt")).asUtf8String())
                    .isEqualTo("through sekisho");
            assertThat(sts.getCallerIdentity().account()).isEqualTo(CORPORATE);
        }
        assertThat(sekisho.origin().requests()).hasSize(3)
                .allSatisfy(r -> assertThat(SigV4Verifier.verify(r, id.secretAccessKey()).valid()).isTrue());
    }

    @Test
    void sdkCallWithForeignCredentialsNeverArrivesAndTheExceptionSaysWhy() {
        try (JavaSdk sdk = JavaSdk.viaProxy(sekisho.port(), sekisho.caCertificate());
                S3Client s3 = sdk.s3(AwsIdentities.longTerm(FOREIGN), Region.EU_WEST_1)) {
            assertThatThrownBy(() -> s3.putObject(b -> b.bucket("exfil-sdk").key("a.txt"), RequestBody.fromString("x")))
                    .hasMessageContaining("Blocked by Sekisho").hasMessageContaining(FOREIGN);
        }
        assertThat(sekisho.origin().requests()).isEmpty();
        assertThat(audit("PUT", "exfil-sdk.s3.eu-west-1.amazonaws.com"))
                .containsEntry("reason", "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED");
    }

    @Test
    void foreignPresignedPutViaCurlIsBlocked() throws Exception {
        String url;
        try (JavaSdk sdk = JavaSdk.viaProxy(sekisho.port(), sekisho.caCertificate())) {
            url = sdk.presignPut(AwsIdentities.longTerm(FOREIGN), Region.US_EAST_1, "exfil-presigned", "dump.csv");
        }
        Path file = Files.writeString(tmp.resolve("dump.csv"), "a,b\n");
        CommandResult r = curl().run("-sS", "-i", "-T", file.toString(), url);

        assertThat(r.stdout()).as(r.describe()).contains("HTTP/1.1 403")
                .contains("X-Sekisho-Reason: AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED").contains(FOREIGN);
        assertThat(sekisho.origin().requests()).isEmpty();
        assertThat(audit("PUT", "exfil-presigned.s3.amazonaws.com")).containsEntry("signing", "sigv4-query")
                .containsEntry("principalAccount", FOREIGN);
    }

    /** An S3 browser POST form: the fields before the file (aws-wire-facts §1.6). */
    static CommandResult postForm(AwsIdentities.Identity id, String bucket) {
        return curl().run("-sS", "-i", "--expect100-timeout", "30",
                "-F", "key=upload.bin", "-F", "x-amz-algorithm=AWS4-HMAC-SHA256",
                "-F", "x-amz-credential=" + id.accessKeyId() + "/20261122/us-east-1/s3/aws4_request",
                "-F", "x-amz-date=20261122T140332Z", "-F", "policy=e30=",
                "-F", "x-amz-signature=" + "0f".repeat(32), "-F", "file=@" + bigFile,
                "https://" + bucket + ".s3.amazonaws.com/");
    }

    @Test
    void companyPostFormUploadGets100ThenArrives() {
        CommandResult r = postForm(AwsIdentities.longTerm(CORPORATE), "corp-forms");

        // The credential is in the body: the headers do not deny, so the proxy answers 100 and reads the fields.
        assertThat(r.stdout()).as(r.describe()).contains("HTTP/1.1 100 Continue").contains("HTTP/1.1 204");
        assertThat(sekisho.origin().requestsTo("corp-forms.s3.amazonaws.com")).singleElement()
                .satisfies(q -> assertThat(q.body()).hasSizeGreaterThan(1536 * 1024));
        assertThat(audit("POST", "corp-forms.s3.amazonaws.com")).containsEntry("signing", "post-form")
                .containsEntry("verdict", "ALLOW");
    }

    @Test
    void foreignPostFormUploadIsBlockedAndNothingArrives() {
        CommandResult r = postForm(AwsIdentities.longTerm(FOREIGN), "exfil-forms");

        assertThat(r.stdout()).as(r.describe()).contains("HTTP/1.1 403")
                .contains("X-Sekisho-Reason: AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED");
        assertThat(sekisho.origin().requests()).isEmpty();
        assertThat(audit("POST", "exfil-forms.s3.amazonaws.com")).containsEntry("signing", "post-form")
                .containsEntry("principalAccount", FOREIGN);
    }

    @Test
    void foreignHeaderCredentialWithExpectGets403WithoutA100() {
        // A Query-API body the policy reads, signed in the header by a foreign key: the headers
        // alone deny, so the client is never invited to send the body.
        AwsIdentities.Identity id = AwsIdentities.longTerm(FOREIGN);
        CommandResult r = curl().run("-sS", "-i", "--expect100-timeout", "30", "-H", "Expect: 100-continue",
                "-H", "Content-Type: application/x-www-form-urlencoded",
                "-H", "Authorization: AWS4-HMAC-SHA256 Credential=" + id.accessKeyId()
                        + "/20261122/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "ab".repeat(32),
                "--data-binary", "@" + bigFile, "https://sts.us-east-1.amazonaws.com/");

        assertThat(r.stdout()).as(r.describe()).contains("HTTP/1.1 403").doesNotContain("100 Continue")
                .contains("X-Sekisho-Reason: AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED");
        assertThat(sekisho.origin().requests()).isEmpty();
    }
}
