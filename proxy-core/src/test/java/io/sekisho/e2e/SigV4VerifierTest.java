package io.sekisho.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verifier against real client signatures: corpus fixtures (shared/corpus, copied into
 * src/test/resources/e2e/corpus) were signed by the AWS CLI, the Java SDK and boto3 with the
 * fixture identities' secrets, so each must verify, and any change to a signed part must not.
 */
class SigV4VerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "awscli-v1/sts-assume-role-cross-account--01.json",
        "awscli-v1/s3-cp-upload-small--01.json",
        "awscli-v1/sqs-send-message--01.json",
        "awscli-v1/sts-get-caller-identity-asia--01.json",
        "java-sdk-v2/sts-get-caller-identity--01.json",
        "java-sdk-v2/s3-put-object-string--01.json",
        "curl/s3-presigned-put-boto3--01.json",
    })
    void realClientSignaturesVerify(String fixture) throws IOException {
        RecordedRequest request = fromFixture(fixture, List.of(), null);

        assertThat(SigV4Verifier.verify(request, secretOf(request)).valid()).as(fixture).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "awscli-v1/sts-assume-role-cross-account--01.json",
        "awscli-v1/s3-cp-upload-small--01.json",
        "java-sdk-v2/sts-get-caller-identity--01.json",
    })
    void aChangedSignedHeaderBreaksTheSignatureAnAddedUnsignedOneDoesNot(String fixture) throws IOException {
        RecordedRequest changedDate = fromFixture(fixture, List.of(Map.entry("X-Amz-Date", "20300101T000000Z")), null);
        RecordedRequest addedHeader = fromFixture(fixture, List.of(Map.entry("Via", "1.1 sekisho")), null);

        assertThat(SigV4Verifier.verify(changedDate, secretOf(changedDate)).valid()).isFalse();
        assertThat(SigV4Verifier.verify(addedHeader, secretOf(addedHeader)).valid()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void aChangedQueryProtocolBodyBreaksTheSignature() throws IOException {
        String fixture = "awscli-v1/sts-assume-role-cross-account--01.json";
        RecordedRequest changed = fromFixture(fixture, List.of(), "Action=AssumeRole&Version=2011-06-15&RoleArn="
                + "arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FPartnerAccess&RoleSessionName=corpus");

        assertThat(SigV4Verifier.verify(changed, secretOf(changed)).valid()).isFalse();
    }

    private static String secretOf(RecordedRequest request) {
        return AwsIdentities.byAccessKeyId(request.accessKeyId().orElseThrow()).orElseThrow().secretAccessKey();
    }

    /** A fixture as the origin would record it; {@code replace} swaps header values by name, or appends. */
    static RecordedRequest fromFixture(String fixture, List<Map.Entry<String, String>> replace, String body)
            throws IOException {
        JsonNode request;
        try (InputStream in = SigV4VerifierTest.class.getResourceAsStream("/e2e/corpus/" + fixture)) {
            request = JSON.readTree(in).path("request");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        request.path("headers").forEach(h -> headers.add(Map.entry(h.get(0).asText(), h.get(1).asText())));
        for (Map.Entry<String, String> change : replace) {
            headers.replaceAll(h -> h.getKey().equalsIgnoreCase(change.getKey()) ? change : h);
            if (headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase(change.getKey()))) {
                headers.add(change);
            }
        }
        JsonNode recordedBody = request.path("body");
        byte[] bytes = body != null ? body.getBytes(StandardCharsets.UTF_8)
                : recordedBody.path("encoding").asText().equals("base64")
                ? Base64.getDecoder().decode(recordedBody.path("base64").asText())
                : recordedBody.path("text").asText().getBytes(StandardCharsets.UTF_8);
        return new RecordedRequest(1, Instant.now(), true, request.path("host").asText(), request.path("method").asText(),
                request.path("request_target").asText(), "HTTP/1.1", headers, bytes, List.of(), false);
    }
}
