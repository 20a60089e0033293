package io.sekisho.proxy.intercept;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.JavaSdk;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.e2e.TestPki;
import io.sekisho.policy.BodyNeed;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The JDK HttpClient and the AWS SDK for Java v2, trusting the proxy's CA, through the
 * interception to the fake AWS origin; and {@code Expect: 100-continue} when the policy inspects
 * the body: 100 only once the headers did not deny, never before a deny.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InterceptedClientsTest {
    @TempDir
    static Path tmp;
    static FakeAwsOrigin origin;
    static ProxyCa ca;
    static ProxyFixture proxy;
    static TestPolicy policy;

    @BeforeAll
    static void start() {
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = FakeAwsOrigin.start(originPki);
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        // The policy reads the first 1 KiB of bodies sent to sts (as the AWS query inspector
        // will) and denies requests that carry x-deny.
        policy = TestPolicy.allowing("*").intercepting(true)
                .inspectBodies(f -> f.host().value().startsWith("sts.") ? BodyNeed.prefix(1024) : BodyNeed.NONE)
                .denyRequestsWhere(f -> f.headers().get("x-deny") != null);
        proxy = ProxyFixture.start(TestConfigs.builder()
                .resolve(".amazonaws.com", origin.httpsPort())
                .interceptWith(ca.pem(), ca.key())
                .trust(originPki.caPem())
                .build(), policy);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void theJdkHttpClientTrustingTheProxyCaGoesThrough() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
                .sslContext(ca.clientContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("https://s3.eu-central-1.amazonaws.com/sekisho-jdk/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("ListBucketResult");
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2); // ALPN h2 inside interception (tls.http2)
        assertThat(proxy.audit().await("GET", "s3.eu-central-1.amazonaws.com")).containsEntry("verdict", "ALLOW");
    }

    @Test
    void theAwsSdkPutsAndGetsThroughTheInterception() {
        try (JavaSdk sdk = JavaSdk.viaProxy(proxy.port(), ca.certificate());
                S3Client s3 = sdk.s3(AwsIdentities.longTerm(CORPORATE), Region.US_WEST_2);
                StsClient sts = sdk.sts(AwsIdentities.longTerm(CORPORATE), Region.US_WEST_2)) {
            s3.putObject(b -> b.bucket("sekisho-sdk").key("a.txt"), RequestBody.fromString("hello through the mitm"));
            String back = s3.getObjectAsBytes(b -> b.bucket("sekisho-sdk").key("a.txt")).asUtf8String();
            assertThat(back).isEqualTo("hello through the mitm");
            assertThat(sts.getCallerIdentity().account()).isEqualTo(CORPORATE);
        }
        RecordedRequest put = origin.requests().stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
        assertThat(put.header("Authorization").orElseThrow()).startsWith("AWS4-HMAC-SHA256 Credential=");
        assertThat(policy.seen()).anySatisfy(s -> {
            assertThat(s.facts().host().value()).isEqualTo("sts.us-west-2.amazonaws.com");
            assertThat(s.body()).contains("Action=GetCallerIdentity");
        });
    }

    @Test
    void expectContinueIsAnsweredOnlyAfterTheHeadersWereAllowed() throws Exception {
        Path body = Files.writeString(tmp.resolve("form.txt"), "Action=GetCallerIdentity&Version=2011-06-15");
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", ca.pem().toString(), "-H", "Expect: 100-continue",
                "--expect100-timeout", "20", "--data-binary", "@" + body, "https://sts.us-east-1.amazonaws.com/");

        assertThat(r.headers()).contains("HTTP/1.1 100 Continue");
        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(policy.seen()).anySatisfy(s -> assertThat(s.body()).isEqualTo(Files.readString(body)));
    }

    @Test
    void aDeniedUploadGetsItsFinalStatusWithoutA100() throws Exception {
        Path body = Files.writeString(tmp.resolve("denied.txt"), "Action=GetCallerIdentity&Version=2011-06-15");
        origin.clearRequests();
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", ca.pem().toString(), "-H", "Expect: 100-continue",
                "--expect100-timeout", "20", "-H", "x-deny: 1", "--data-binary", "@" + body,
                "https://sts.us-east-2.amazonaws.com/");

        assertThat(r.status()).as(r.stderr()).isEqualTo(403);
        assertThat(r.headers()).doesNotContain("100 Continue");
        assertThat(r.header("X-Sekisho-Reason")).isEqualTo("BODY_MALFORMED");
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void withoutInspectionTheExpectationGoesToTheOrigin() throws Exception {
        Path body = Files.writeString(tmp.resolve("object.txt"), "x".repeat(10_000));
        origin.clearRequests();
        Curl.Result r = Curl.viaProxy(proxy.url(), "--cacert", ca.pem().toString(), "-H", "Expect: 100-continue",
                "--expect100-timeout", "20", "-X", "PUT", "--data-binary", "@" + body,
                "https://s3.us-east-1.amazonaws.com/sekisho-expect/o.txt");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(origin.lastRequest().orElseThrow().header("Expect")).hasValue("100-continue");
    }
}
