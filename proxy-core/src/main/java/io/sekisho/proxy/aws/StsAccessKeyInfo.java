package io.sekisho.proxy.aws;

import io.sekisho.policy.Nullable;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.GetAccessKeyInfoResponse;

/**
 * {@code sts:GetAccessKeyInfo} through the AWS SDK for Java v2, signed with the proxy's own
 * credentials. STS answers for any well-formed key, whoever owns it, and the caller needs only
 * permission to call the action (STS API reference, GetAccessKeyInfo).
 */
public final class StsAccessKeyInfo implements AccessKeyInfo {
    private final StsClient client;
    private final AwsCredentialsProvider credentials;

    private StsAccessKeyInfo(StsClient client, AwsCredentialsProvider credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    /**
     * The production client: the SDK's default credentials chain (environment, profile, container
     * or instance role), the regional STS endpoint.
     *
     * @param timeout bounds the whole call, retries included, and each connect and read
     */
    public static StsAccessKeyInfo create(String region, Duration timeout) {
        return create(region, timeout, DefaultCredentialsProvider.builder().build(), null);
    }

    /** @param endpoint an endpoint override (tests: a fake STS on 127.0.0.1), or null for AWS's own */
    public static StsAccessKeyInfo create(String region, Duration timeout, AwsCredentialsProvider credentials,
            @Nullable URI endpoint) {
        StsClientBuilder b = StsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout).build())
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout));
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return new StsAccessKeyInfo(b.build(), credentials);
    }

    @Override
    public Optional<String> accountOf(String accessKeyId) {
        GetAccessKeyInfoResponse r = client.getAccessKeyInfo(q -> q.accessKeyId(accessKeyId));
        return Optional.ofNullable(r.account());
    }

    /**
     * Walks the default credentials chain once, so the first lookup does not pay for its probes
     * (the instance-metadata probe alone can take a second off EC2) inside its timeout.
     */
    @Override
    public void warmUp() {
        credentials.resolveCredentials();
    }

    @Override
    public void close() {
        client.close();
    }
}
