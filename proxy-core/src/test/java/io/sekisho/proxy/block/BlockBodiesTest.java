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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exact bodies and headers of each dialect (golden strings), and how the accounts read in the message. */
class BlockBodiesTest {
    static final String ID = "01JDE5Y3K9Q2W7RZ8T4M6N0PXA";
    static final String FOREIGN_MESSAGE = "Blocked by Sekisho: AWS account 999988887777 is not an allowed account "
            + "(AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED). Request id " + ID + ".";

    static Decision principalDenied(AwsProtocol protocol, String service) {
        return Decision.deny(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "aws.accounts.allow").withEvidence(Evidence.builder()
                .protocol(protocol).service(service).principalAccount("999988887777").build());
    }

    static FullHttpResponse render(Decision d, String uri, Map<String, String> headers) {
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, uri);
        headers.forEach(req.headers()::set);
        return BlockResponses.standard("security@corp.example, ext. 4711").forRequest(d, req,
                host(d), ID, true, UnpooledByteBufAllocator.DEFAULT);
    }

    private static String host(Decision d) {
        return d.evidence().flow().isEmpty() ? "corp-data.s3.amazonaws.com" : "signin.aws.amazon.com";
    }

    static String body(FullHttpResponse r) {
        return r.content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void s3RestXml() {
        FullHttpResponse r = render(principalDenied(AwsProtocol.REST_XML, "s3"), "/a.txt", Map.of());
        try {
            assertThat(r.status().code()).isEqualTo(403);
            assertThat(body(r)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                    + "<Message>" + FOREIGN_MESSAGE + "</Message><RequestId>" + ID + "</RequestId>"
                    + "<HostId>sekisho</HostId></Error>");
            assertThat(r.headers().get("Content-Type")).isEqualTo("application/xml");
            assertThat(r.headers().get("x-amz-request-id")).isEqualTo(ID);
            assertThat(r.headers().get("X-Sekisho-Request-Id")).isEqualTo(ID);
            assertThat(r.headers().get("Cache-Control")).isEqualTo("no-store");
        } finally {
            r.release();
        }
    }

    @Test
    void awsJson() {
        FullHttpResponse r = render(principalDenied(AwsProtocol.JSON, "sqs"), "/",
                Map.of("Content-Type", "application/x-amz-json-1.0"));
        try {
            assertThat(body(r)).isEqualTo("{\"__type\":\"AccessDeniedException\",\"message\":\"" + FOREIGN_MESSAGE + "\"}");
            assertThat(r.headers().get("Content-Type")).isEqualTo("application/x-amz-json-1.0");
            assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("AccessDeniedException");
            assertThat(r.headers().get("x-amzn-RequestId")).isEqualTo(ID);
        } finally {
            r.release();
        }
    }

    @Test
    void stsQuery() {
        FullHttpResponse r = render(principalDenied(AwsProtocol.QUERY, "sts"), "/", Map.of());
        try {
            assertThat(body(r)).isEqualTo("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                    + "<Type>Sender</Type><Code>AccessDenied</Code><Message>" + FOREIGN_MESSAGE + "</Message></Error>"
                    + "<RequestId>" + ID + "</RequestId></ErrorResponse>");
            assertThat(r.headers().get("Content-Type")).isEqualTo("text/xml");
            assertThat(r.headers().get("x-amzn-RequestId")).isEqualTo(ID);
        } finally {
            r.release();
        }
    }

    @Test
    void ec2SpeaksItsOwnQueryDialect() {
        FullHttpResponse r = render(principalDenied(AwsProtocol.QUERY, "ec2"), "/", Map.of());
        try {
            assertThat(body(r)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error>"
                    + "<Code>AccessDenied</Code><Message>" + FOREIGN_MESSAGE + "</Message></Error></Errors>"
                    + "<RequestID>" + ID + "</RequestID></Response>");
        } finally {
            r.release();
        }
    }

    @Test
    void htmlPage() throws IOException {
        Decision d = Decision.deny(Reason.AWS_SIGNIN_TOKEN_UNKNOWN, "signin.tokens").withEvidence(Evidence.builder()
                .flow("federation").principalAccount("999988887777").resourceAccounts(List.of("111122223333")).build());
        FullHttpResponse r = render(d, "https://signin.aws.amazon.com/federation?Action=login&SigninToken=abc",
                Map.of("Accept", "text/html"));
        try {
            assertThat(body(r)).isEqualTo(golden("block/federation-token-unknown.html"));
            assertThat(r.status().code()).isEqualTo(403);
            assertThat(r.headers().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(r.headers().get("Content-Security-Policy")).isEqualTo("default-src 'none'; style-src 'unsafe-inline'");
            assertThat(r.headers().get("Cache-Control")).isEqualTo("no-store");
            assertThat(r.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        } finally {
            r.release();
        }
    }

    @Test
    void htmlPageWithoutAContactNamesTheSecurityTeam() {
        BlockContext c = new BlockContext(Decision.deny(Reason.DOMAIN_NOT_ALLOWED, ""),
                BlockResponses.statusFor(Reason.DOMAIN_NOT_ALLOWED), "text/html", "x.example", "id", false, "/", "");
        String page = new HtmlBlockPageRenderer(" ").page(c);
        assertThat(page).contains("ask your IT security team").doesNotContain("AWS account");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED | 999988887777 | '' | AWS account 999988887777 is not an allowed account",
        "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED | '' | '' | The AWS account that signed the request is not an allowed account",
        "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED | 111122223333 | 999988887777 | "
                + "The request acts on AWS account 999988887777, which is not an allowed account",
        "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED | 111122223333 | 999988887777 888877776666 | "
                + "The request acts on AWS accounts 999988887777, 888877776666, not all of which are allowed accounts",
        "AWS_PORTAL_NOT_ALLOWED | '' | '' | This IAM Identity Center portal belongs to another organisation",
        "AWS_BUCKET_NOT_ALLOWED | 111122223333 | '' | "
                + "This S3 bucket is not on the list of allowed buckets (AWS account 111122223333)",
        "AWS_CONSOLE_SESSION_FOREIGN | 999988887777 | 111122223333 | "
                + "This console session belongs to an AWS account that is not allowed (AWS accounts 999988887777, 111122223333)"})
    void theExplanationNamesTheAccounts(Reason reason, String principal, String resources, String expected) {
        Decision d = Decision.deny(reason, "").withEvidence(Evidence.builder().principalAccount(principal)
                .resourceAccounts(resources.isEmpty() ? List.of() : List.of(resources.split(" "))).build());
        BlockContext c = new BlockContext(d, BlockResponses.statusFor(reason), "", "", "id", false);
        assertThat(BlockReasons.explain(d, c.accounts())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DOMAIN_NOT_ALLOWED", "DOMAIN_DENIED", "PORT_NOT_ALLOWED", "IP_LITERAL_NOT_ALLOWED", "PRIVATE_ADDRESS",
        "AWS_PORTAL_NOT_ALLOWED", "AWS_SIGNIN_TOKEN_UNKNOWN", "AWS_ROOT_SIGNIN", "AWS_SAML_MALFORMED",
        "AWS_CONSOLE_SESSION_FOREIGN", "AWS_SIGNIN_ACCOUNT_UNKNOWN", "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED",
        "AWS_RESOURCE_ACCOUNT_NOT_ALLOWED", "AWS_KEY_UNRESOLVABLE", "AWS_CUSTOMER_ENDPOINT", "AWS_BUCKET_NOT_ALLOWED"})
    void aUserFacingReasonHasItsOwnSentence(Reason reason) {
        assertThat(BlockReasons.hasSentence(reason)).isTrue();
        assertThat(BlockReasons.sentence(reason)).isNotEqualTo(BlockReasons.FALLBACK).doesNotEndWith(".");
    }

    @Test
    void everyDenyReasonHasASentence() {
        List<Reason> missing = java.util.Arrays.stream(Reason.values())
                .filter(r -> r.verdict() == io.sekisho.policy.Verdict.DENY && !BlockReasons.hasSentence(r))
                .collect(Collectors.toList());
        assertThat(missing).as("add a sentence to BlockReasons for each new deny code").isEmpty();
    }

    static String golden(String resource) throws IOException {
        try (InputStream in = BlockBodiesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
