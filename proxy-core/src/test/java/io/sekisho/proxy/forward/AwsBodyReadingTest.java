package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 18 point 3 through real sockets, with the production engine: encoded bodies are read
 * decoded or denied before anything reaches the origin, and a credential sent as an HTTP
 * trailer stops the request before the origin has all of it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AwsBodyReadingTest {
    private static final String CORP_KEY = "AKIARTX3GSDST3HFSG5Y";
    private static final String FOREIGN_KEY = "AKIA6RU73QDQRHBTHXS4";
    private static final String FOREIGN_ROLE = "Action=AssumeRole&Version=2011-06-15"
            + "&RoleArn=arn%3Aaws%3Aiam%3A%3A999988887777%3Arole%2Fx&RoleSessionName=s";
    private static final String FOREIGN_QUEUE =
            "{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/999988887777/q\",\"MessageBody\":\"x\"}";

    private RecordingOrigin origin;
    private ProxyFixture proxy;

    /** The account checks need a CA configured; these plain-http requests are judged all the same. */
    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        origin = new RecordingOrigin();
        CaInit.Summary ca = new CaInit(Clock.systemUTC(), new SecureRandom()).create(dir, KeyType.EC_P256, "test");
        LoadResult r = ConfigLoader.parse("version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "domains:\n  allow:\n    - .amazonaws.com\n"
                + "upstream:\n  resolve:\n    \".amazonaws.com\": \"127.0.0.1:" + origin.port() + "\"\n"
                + "tls:\n  ca:\n    certificate: \"" + ca.pemFile() + "\"\n    privateKey: \"" + ca.keyFile() + "\"\n"
                + "aws:\n  accounts:\n    allow: [\"111122223333\", \"444455556666\"]\n", "bodies.yaml");
        assertThat(r.errors()).isEmpty();
        SekishoConfig config = r.config();
        proxy = ProxyFixture.start(config, StandardPolicy.create(config.policy(), KeyLookup.NONE,
                new InMemorySigninTokenStore(), Clock.systemUTC()), new FakeResolver(),
                b -> b.blocks(BlockResponses.standard("")));
    }

    @AfterEach
    void stop() {
        proxy.close();
        origin.close();
    }

    static Stream<Arguments> encodedBodies() {
        byte[] foreignRole = ascii(FOREIGN_ROLE);
        return Stream.of(
            Arguments.of("gzip foreign AssumeRole", "sts", "application/x-www-form-urlencoded", "gzip",
                    gzip(foreignRole), "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED"),
            Arguments.of("aws-chunked foreign SQS SendMessage", "sqs", "application/x-amz-json-1.0", "aws-chunked",
                    awsChunked(FOREIGN_QUEUE, "x-amz-checksum-crc32:AAAAAA=="), "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED"),
            Arguments.of("gzip bomb", "sts", "application/x-www-form-urlencoded", "gzip",
                    gzip(new byte[10 * 1024 * 1024]), "BODY_ENCODING_BOMB"),
            Arguments.of("brotli", "sts", "application/x-www-form-urlencoded", "br", foreignRole,
                    "BODY_ENCODING_UNSUPPORTED"),
            Arguments.of("credential trailer inside aws-chunked", "sqs", "application/x-amz-json-1.0", "aws-chunked",
                    awsChunked(FOREIGN_QUEUE.replace("999988887777", "111122223333"), "Authorization:QUtJQTZSVTcz"),
                    "BODY_TRAILER_CREDENTIAL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodedBodies")
    void anEncodedBodyIsReadOrDeniedBeforeTheOrigin(String name, String service, String contentType, String encoding,
            byte[] body, String reason) throws IOException {
        String head = "POST http://" + service + ".us-east-1.amazonaws.com/ HTTP/1.1\r\n"
                + "Host: " + service + ".us-east-1.amazonaws.com\r\n" + signature(CORP_KEY, service)
                + (service.equals("sqs") ? "X-Amz-Target: AmazonSQS.SendMessage\r\n" : "")
                + "Content-Type: " + contentType + "\r\nContent-Encoding: " + encoding + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        try (RawClient c = new RawClient(proxy.port())) {
            String response = c.send(head).send(body).readHead();

            assertThat(response).startsWith("HTTP/1.1 403").contains("X-Sekisho-Reason: " + reason);
        }
        assertThat(proxy.audit().await("POST", service + ".us-east-1.amazonaws.com")).containsEntry("reason", reason)
                .containsEntry("bytesUp", 0L);
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void aCredentialInAnHttpTrailerStopsTheRequestBeforeItsEnd() throws IOException {
        try (RawClient c = new RawClient(proxy.port())) {
            c.send(uploadHead() + "5\r\nhello\r\n");
            assertThat(origin.awaitRequest(1).complete()).as("the head and first chunk went upstream").isFalse();

            c.send("0\r\nAuthorization: AWS4-HMAC-SHA256 Credential=" + FOREIGN_KEY
                    + "/20261122/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=" + "ab".repeat(32) + "\r\n\r\n");
            String response = c.readHead();

            assertThat(response).startsWith("HTTP/1.1 403").contains("X-Sekisho-Reason: BODY_TRAILER_CREDENTIAL");
            assertThat(c.closedByPeer(5000)).isTrue();
        }
        assertThat(proxy.audit().await("PUT", "corp-data-bucket.s3.amazonaws.com"))
                .containsEntry("reason", "BODY_TRAILER_CREDENTIAL").containsEntry("verdict", "DENY");
        assertThat(origin.requests()).singleElement()
                .satisfies(r -> assertThat(r.complete()).as("the origin never received the last chunk").isFalse());
    }

    @Test
    void aChecksumTrailerPasses() throws IOException {
        try (RawClient c = new RawClient(proxy.port())) {
            String response = c.send(uploadHead() + "5\r\nhello\r\n0\r\nx-amz-checksum-crc32: NhCmhg==\r\n\r\n").readHead();

            assertThat(response).startsWith("HTTP/1.1 200");
        }
        assertThat(origin.awaitRequest(1).complete()).isTrue();
    }

    private static String uploadHead() {
        return "PUT http://corp-data-bucket.s3.amazonaws.com/k.txt HTTP/1.1\r\nHost: corp-data-bucket.s3.amazonaws.com\r\n"
                + signature(CORP_KEY, "s3") + "X-Amz-Content-SHA256: UNSIGNED-PAYLOAD\r\nX-Amz-Trailer: x-amz-checksum-crc32\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
    }

    private static String signature(String key, String service) {
        return "Authorization: AWS4-HMAC-SHA256 Credential=" + key + "/20261122/us-east-1/" + service
                + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "ab".repeat(32) + "\r\n"
                + "X-Amz-Date: 20261122T140332Z\r\n";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** SigV4 streaming framing with unsigned chunks of 16 bytes, one trailer line, the final CRLF. */
    private static byte[] awsChunked(String text, String trailer) {
        StringBuilder b = new StringBuilder();
        for (int at = 0; at < text.length(); at += 16) {
            String chunk = text.substring(at, Math.min(text.length(), at + 16));
            b.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        return ascii(b.append("0\r\n").append(trailer).append("\r\n\r\n").toString());
    }
}
