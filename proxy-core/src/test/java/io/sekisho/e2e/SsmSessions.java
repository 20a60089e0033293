package io.sekisho.e2e;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The SSM Session Manager wire, for tests, reconstructed from the sources the docs cite
 * (docs/threat-model.md "SSM Session Manager"): StartSession and ResumeSession are SigV4-signed
 * {@code POST /} with {@code X-Amz-Target: AmazonSSM.StartSession} and an
 * {@code application/x-amz-json-1.1} body (SSM API reference); the response is
 * {@code {"SessionId","StreamUrl","TokenValue"}}; the session-manager-plugin dials the stream URL
 * with no extra header ({@code websocketutil.go}: {@code dialer.Dial(url, nil)}) and sends the
 * token in its first text message, {@code OpenDataChannelInput} ({@code streaming.go}:
 * {@code FinalizeDataChannelHandshake}).
 */
public final class SsmSessions {
    /** The tests' session token: the secret scan looks for it in every log. */
    public static final String TOKEN = "AAEAAVNla2lzaG8tdGVzdC1zc20tZGF0YS1jaGFubmVsLXRva2Vu";
    public static final String REGION = "us-east-1";
    public static final String SSM_HOST = "ssm." + REGION + ".amazonaws.com";
    public static final String MESSAGES_HOST = "ssmmessages." + REGION + ".amazonaws.com";

    private SsmSessions() {
    }

    /** The stream URL a StartSession for {@code sessionId} returns. */
    public static String streamUrl(String sessionId) {
        return "wss://" + MESSAGES_HOST + "/v1/data-channel/" + sessionId + "?role=publish_subscribe&cell-number=AAEAAQ";
    }

    /** The body of a StartSession or ResumeSession response. */
    public static String issued(String sessionId) {
        return "{\"SessionId\":\"" + sessionId + "\",\"StreamUrl\":\"" + streamUrl(sessionId)
                + "\",\"TokenValue\":\"" + TOKEN + "\"}";
    }

    /** The plugin's first message on the data channel (OpenDataChannelInput). */
    public static String openDataChannel(String clientId) {
        return "{\"MessageSchemaVersion\":\"1.0\",\"RequestId\":\"" + clientId + "-r\",\"TokenValue\":\"" + TOKEN
                + "\",\"ClientId\":\"" + clientId + "\",\"ClientVersion\":\"1.2.694.0\"}";
    }

    /** A StartSession (or another {@code AmazonSSM.*} target) signed with SigV4 by {@code who}. */
    public static HttpRequest signed(AwsIdentities.Identity who, String target, String body) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("https://" + SSM_HOST + "/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", target).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(who.accessKeyId(), who.secretAccessKey()))
                .request(request).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ssm")
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION));
        HttpRequest.Builder b = HttpRequest.newBuilder(signed.request().getUri())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals("host") && !name.equals("content-length")) { // the JDK client sets these itself
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        }
        return b.build();
    }
}
