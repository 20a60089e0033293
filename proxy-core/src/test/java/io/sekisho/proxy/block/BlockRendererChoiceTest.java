package io.sekisho.proxy.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Reason;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which dialect answers: protocol × Accept × sign-in flow × reason, through {@link BlockResponses#standard}. */
class BlockRendererChoiceTest {
    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final String XHR = "application/json, text/plain, */*";

    static Stream<Arguments> rows() {
        return Stream.of(
                row("plain site, browser", AwsProtocol.NONE, "", Reason.DOMAIN_NOT_ALLOWED, BROWSER, "", "text/html; charset=utf-8"),
                row("plain site, curl", AwsProtocol.NONE, "", Reason.DOMAIN_NOT_ALLOWED, "*/*", "", "text/plain; charset=utf-8"),
                row("plain site, no Accept", AwsProtocol.NONE, "", Reason.DOMAIN_NOT_ALLOWED, "", "", "text/plain; charset=utf-8"),
                row("plain site, XHR", AwsProtocol.NONE, "", Reason.DOMAIN_DENIED, XHR, "", "text/plain; charset=utf-8"),
                row("Accept case-folded", AwsProtocol.NONE, "", Reason.PORT_NOT_ALLOWED, "TEXT/HTML", "", "text/html; charset=utf-8"),
                row("S3 from the CLI", AwsProtocol.REST_XML, "", Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "", "", "application/xml"),
                row("S3 from a browser stays XML", AwsProtocol.REST_XML, "", Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, BROWSER, "",
                        "application/xml"),
                row("JSON 1.0 (SQS)", AwsProtocol.JSON, "", Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED, "", "application/x-amz-json-1.0",
                        "application/x-amz-json-1.0"),
                row("JSON 1.1", AwsProtocol.JSON, "", Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "",
                        "application/x-amz-json-1.1; charset=utf-8", "application/x-amz-json-1.1"),
                row("rest-json", AwsProtocol.JSON, "", Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "application/json",
                        "application/json", "application/json"),
                row("JSON without Content-Type", AwsProtocol.JSON, "", Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "", "", "application/json"),
                row("Query (STS)", AwsProtocol.QUERY, "", Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED, "",
                        "application/x-www-form-urlencoded; charset=utf-8", "text/xml"),
                row("portal XHR gets JSON", AwsProtocol.JSON, "portal", Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, XHR, "",
                        "application/json"),
                row("portal navigation gets the page", AwsProtocol.JSON, "portal", Reason.AWS_PORTAL_NOT_ALLOWED, BROWSER, "",
                        "text/html; charset=utf-8"),
                row("sign-in reason without flow, navigation", AwsProtocol.QUERY, "", Reason.AWS_SIGNIN_TOKEN_UNKNOWN, BROWSER, "",
                        "text/html; charset=utf-8"),
                row("federation navigation", AwsProtocol.NONE, "federation", Reason.AWS_SIGNIN_TOKEN_UNKNOWN, BROWSER, "",
                        "text/html; charset=utf-8"),
                row("upstream failure of an AWS call stays plain", AwsProtocol.REST_XML, "", Reason.UPSTREAM_TIMEOUT, "", "",
                        "text/plain; charset=utf-8"),
                row("upstream failure, browser", AwsProtocol.NONE, "", Reason.UPSTREAM_CONNECT_FAILED, BROWSER, "",
                        "text/html; charset=utf-8"),
                row("internal error of an AWS call stays plain", AwsProtocol.JSON, "", Reason.INTERNAL_ERROR, "", "",
                        "text/plain; charset=utf-8"));
    }

    private static Arguments row(String name, AwsProtocol protocol, String flow, Reason reason, String accept,
            String requestContentType, String expected) {
        return Arguments.of(name, protocol, flow, reason, accept, requestContentType, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theRightRendererAnswers(String name, AwsProtocol protocol, String flow, Reason reason, String accept,
            String requestContentType, String expectedContentType) {
        Decision d = Decision.deny(reason, "").withEvidence(
                Evidence.builder().protocol(protocol).flow(flow).principalAccount("999988887777").build());
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        if (!accept.isEmpty()) {
            req.headers().set("Accept", accept);
        }
        if (!requestContentType.isEmpty()) {
            req.headers().set("Content-Type", requestContentType);
        }
        FullHttpResponse r = BlockResponses.standard("").forRequest(d, req, "h.example", "id", true,
                UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(r.headers().get("Content-Type")).isEqualTo(expectedContentType);
            assertThat(r.headers().get("X-Sekisho-Reason")).isEqualTo(reason.name());
        } finally {
            r.release();
        }
    }

    @ParameterizedTest(name = "CONNECT refused, {0}")
    @MethodSource("rows")
    void aRefusedConnectIsAlwaysPlainText(String name, AwsProtocol protocol, String flow, Reason reason) {
        Decision d = Decision.deny(reason, "").withEvidence(Evidence.builder().protocol(protocol).flow(flow).build());
        FullHttpResponse r = BlockResponses.standard("").forConnect(d, HttpVersion.HTTP_1_1, "h.example", "id",
                UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(r.headers().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        } finally {
            r.release();
        }
    }
}
