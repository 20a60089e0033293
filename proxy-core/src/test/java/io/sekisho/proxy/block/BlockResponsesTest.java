package io.sekisho.proxy.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BlockResponsesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "DOMAIN_NOT_ALLOWED, 403", "PRIVATE_ADDRESS, 403", "SNI_MISMATCH, 403", "BAD_REQUEST, 400",
        "NOT_A_PROXY_REQUEST, 400", "HEADERS_TOO_LARGE, 431", "REQUEST_LINE_TOO_LONG, 414",
        "REQUEST_HEADER_TIMEOUT, 408", "UPSTREAM_CONNECT_FAILED, 502", "DNS_FAILED, 502", "UPSTREAM_TIMEOUT, 504",
        "HOST_MISMATCH, 421", "INTERNAL_ERROR, 500",
        "REQUEST_BODY_TIMEOUT, 408", "REQUEST_BODY_TOO_SLOW, 408", "PENDING_HEADS_LIMIT, 431", "CONNECTION_LIMIT, 503", "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, 403"})
    void eachReasonHasItsStatus(Reason reason, int status) {
        assertThat(BlockResponses.statusFor(reason).code()).isEqualTo(status);
    }

    @Test
    void plainTextBodyNamesTheReasonAndTheHeadersCarryIt() {
        FullHttpResponse r = BlockResponses.plainText().forRequest(Decision.deny(Reason.DOMAIN_DENIED, "bad.example"),
                HttpVersion.HTTP_1_1, "*/*", "bad.example", "id-1", true, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(r.status().code()).isEqualTo(403);
            assertThat(r.headers().get("X-Sekisho-Reason")).isEqualTo("DOMAIN_DENIED");
            assertThat(r.headers().get("X-Sekisho-Request-Id")).isEqualTo("id-1");
            assertThat(r.headers().get("Cache-Control")).isEqualTo("no-store");
            assertThat(r.headers().contains("Connection")).isFalse();
            assertThat(r.content().toString(StandardCharsets.UTF_8))
                    .isEqualTo("Blocked by Sekisho: DOMAIN_DENIED\nRequest ID: id-1\n");
        } finally {
            r.release();
        }
    }

    @Test
    void anUpstreamFailureOfAnAllowedRequestIsNotCalledABlock() {
        FullHttpResponse r = BlockResponses.plainText().forRequest(Decision.deny(Reason.DNS_FAILED, ".example.org"),
                HttpVersion.HTTP_1_1, "*/*", "www.example.org", "id-2", true, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(r.status().code()).isEqualTo(502);
            assertThat(r.content().toString(StandardCharsets.UTF_8))
                    .isEqualTo("Not completed by Sekisho: DNS_FAILED\nRequest ID: id-2\n");
        } finally {
            r.release();
        }
    }

    @Test
    void aRendererForTheClientsProtocolIsPreferred() {
        BlockRenderer xml = c -> c.protocol() == AwsProtocol.REST_XML
                ? new BlockRenderer.Body("application/xml", "<Error/>".getBytes(StandardCharsets.UTF_8)) : null;
        BlockResponses blocks = new BlockResponses(List.of(xml));
        Decision s3 = Decision.deny(Reason.AWS_BUCKET_NOT_ALLOWED, "")
                .withEvidence(Evidence.builder().protocol(AwsProtocol.REST_XML).build());

        FullHttpResponse r = blocks.forRequest(s3, HttpVersion.HTTP_1_1, "", "s3.amazonaws.com", "id", false,
                UnpooledByteBufAllocator.DEFAULT);
        FullHttpResponse plain = blocks.forRequest(Decision.deny(Reason.DOMAIN_DENIED, ""), HttpVersion.HTTP_1_1, "",
                "x", "id", false, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(r.headers().get("Content-Type")).isEqualTo("application/xml");
            assertThat(r.headers().get("Connection")).isEqualTo("close");
            assertThat(plain.headers().get("Content-Type")).startsWith("text/plain");
        } finally {
            r.release();
            plain.release();
        }
    }
}
