package io.sekisho.e2e.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.CommandResult;
import io.sekisho.e2e.Curl;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.FakeResponse;
import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.aws.StsAccessKeyInfo;
import io.sekisho.proxy.aws.StsKeyLookup;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Issue 4 point 3 on the wire: an old-format key (AKIAIOSFODNN7EXAMPLE) cannot be decoded, so the
 * proxy asks an in-process STS ({@code sts:GetAccessKeyInfo}) off the event loop and decides again
 * with the answer: a company account passes, a foreign one is denied, an unknown key stays
 * {@code AWS_KEY_UNRESOLVABLE}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeyLookupScenariosTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "resolved to a company account (the fake S3 answers 404: no such object), 444455556666, 404, AWS_ACCOUNT_ALLOWED",
        "resolved to a foreign account, 999988887777, 403, AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED",
        "STS does not know the key, '', 403, AWS_KEY_UNRESOLVABLE"})
    void anOldKeyIsLookedUpThenDecided(String name, String account, int status, String reason) {
        assumeTrue(Curl.available(), "curl is not on PATH");
        String key = AwsIdentities.OLD_FORMAT.accessKeyId();
        try (FakeAwsOrigin sts = FakeAwsOrigin.start(TestPki.create(tmp.resolve("sts-pki")))) {
            sts.override(r -> "GetAccessKeyInfo".equals(r.parameters().get("Action")), r -> account.isEmpty()
                    ? FakeResponse.xml(400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>"
                            + "<Message>unknown</Message></Error><RequestId>r-1</RequestId></ErrorResponse>")
                    : FakeResponse.xml(200, "<GetAccessKeyInfoResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                            + "<GetAccessKeyInfoResult><Account>" + account + "</Account></GetAccessKeyInfoResult>"
                            + "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></GetAccessKeyInfoResponse>"));
            AwsIdentities.Identity proxyOwn = AwsIdentities.longTerm(AwsIdentities.CORPORATE);
            StsKeyLookup lookup = new StsKeyLookup(StsAccessKeyInfo.create("us-east-1", Duration.ofSeconds(10),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(proxyOwn.accessKeyId(),
                            proxyOwn.secretAccessKey())), URI.create("http://127.0.0.1:" + sts.httpPort())),
                    Clock.systemUTC(), Duration.ofMinutes(5), 100, StsKeyLookup.newExecutor());
            try (lookup; SekishoForAws sekisho = SekishoForAws.start(tmp, lookup, lookup::lookup)) {
                CommandResult r = Curl.viaProxy(tmp, sekisho.caPem(), sekisho.port()).run("-sS", "-o", "/dev/null",
                        "-w", "%{http_code}", "-H", "X-Amz-Date: 20261122T140332Z", "-H",
                        "Authorization: AWS4-HMAC-SHA256 Credential=" + key + "/20261122/us-east-1/s3/aws4_request, "
                                + "SignedHeaders=host;x-amz-date, Signature=" + "ab".repeat(32),
                        "https://corp-old.s3.amazonaws.com/report.csv");

                assertThat(r.stdout()).as(r.describe()).isEqualTo(Integer.toString(status));
                Map<String, Object> line = sekisho.proxy().audit().await(l -> "GET".equals(l.get("method")),
                        Duration.ofSeconds(10));
                assertThat(line).containsEntry("reason", reason);
                assertThat(sts.requests()).as("one STS call").hasSize(1);
                assertThat(sekisho.origin().requests()).hasSize(reason.equals("AWS_ACCOUNT_ALLOWED") ? 1 : 0);
            }
        }
    }
}
