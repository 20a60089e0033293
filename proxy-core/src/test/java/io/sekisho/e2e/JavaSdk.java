package io.sekisho.e2e;

import java.net.InetAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import org.apache.hc.client5.http.DnsResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.apache5.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds AWS SDK for Java v2 clients (Apache HttpClient 5, the SDK's default sync client) for e2e tests.
 *
 * <ul>
 *   <li>{@link #viaProxy}: real AWS endpoints, every connection through the proxy (CONNECT), trusting
 *       only the given CA (the proxy's MITM CA). What the final e2e tests use.</li>
 *   <li>{@link #direct}: no proxy; each client's endpoint is the real AWS name with the fake's port,
 *       and every name resolves to 127.0.0.1, so SNI, Host and S3 virtual-hosted addressing stay
 *       real. For the fixtures' own self-tests.</li>
 * </ul>
 * Retries are off so a blocked call fails once. Close the {@code JavaSdk} to release connections.
 */
public final class JavaSdk implements AutoCloseable {

    private final SdkHttpClient http;
    private final Integer directPort;

    private JavaSdk(SdkHttpClient http, Integer directPort) {
        this.http = http;
        this.directPort = directPort;
    }

    public static JavaSdk viaProxy(int proxyPort, X509Certificate... trusted) {
        ProxyConfiguration proxy = ProxyConfiguration.builder().endpoint(URI.create("http://127.0.0.1:" + proxyPort))
                .useSystemPropertyValues(false).useEnvironmentVariableValues(false).build();
        return new JavaSdk(base(TestPki.trustManagers(trusted)).proxyConfiguration(proxy).build(), null);
    }

    public static JavaSdk direct(FakeAwsOrigin origin) {
        SdkHttpClient http = base(origin.pki().trustManagers()).dnsResolver(new LoopbackDns()).build();
        return new JavaSdk(http, origin.httpsPort());
    }

    private static Apache5HttpClient.Builder base(TrustManager[] trust) {
        return Apache5HttpClient.builder().tlsTrustManagersProvider(() -> trust)
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30));
    }

    /** Every name is 127.0.0.1: the real AWS names reach the fake without touching DNS. */
    private static final class LoopbackDns implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) {
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    public SdkHttpClient httpClient() {
        return http;
    }

    public S3Client s3(AwsIdentities.Identity identity, Region region) {
        var builder = S3Client.builder().httpClient(http).region(region).credentialsProvider(credentials(identity))
                .overrideConfiguration(noRetries());
        endpoint("s3." + region.id() + ".amazonaws.com").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public StsClient sts(AwsIdentities.Identity identity, Region region) {
        var builder = StsClient.builder().httpClient(http).region(region).credentialsProvider(credentials(identity))
                .overrideConfiguration(noRetries());
        endpoint("sts." + region.id() + ".amazonaws.com").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * A SigV4 presigned PutObject URL signed by {@code identity} (the "upload to an attacker's
     * presigned URL" path): real S3 name, or the fake's port in direct mode. No request is sent.
     */
    public String presignPut(AwsIdentities.Identity identity, Region region, String bucket, String key) {
        var builder = S3Presigner.builder().region(region).credentialsProvider(credentials(identity));
        endpoint("s3." + region.id() + ".amazonaws.com").ifPresent(builder::endpointOverride);
        try (S3Presigner presigner = builder.build()) {
            return presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                    .putObjectRequest(r -> r.bucket(bucket).key(key))).url().toString();
        }
    }

    /** In direct mode, the real name with the fake's port; through a proxy, the SDK's own endpoint. */
    private Optional<URI> endpoint(String host) {
        return directPort == null ? Optional.empty() : Optional.of(URI.create("https://" + host + ":" + directPort));
    }

    private static StaticCredentialsProvider credentials(AwsIdentities.Identity identity) {
        AwsCredentials credentials = identity.sessionToken() == null
                ? AwsBasicCredentials.create(identity.accessKeyId(), identity.secretAccessKey())
                : AwsSessionCredentials.create(identity.accessKeyId(), identity.secretAccessKey(), identity.sessionToken());
        return StaticCredentialsProvider.create(credentials);
    }

    private static ClientOverrideConfiguration noRetries() {
        return ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD)
                .retryStrategy(b -> b.maxAttempts(1)).build();
    }

    @Override
    public void close() {
        http.close();
    }
}
