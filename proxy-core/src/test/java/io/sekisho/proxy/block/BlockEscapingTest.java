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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What the request and the config put into a block response is escaped, and nothing secret gets in. */
class BlockEscapingTest {

    @Test
    void hostPathAndContactAreEscapedOnThePage() {
        BlockContext c = new BlockContext(Decision.deny(Reason.DOMAIN_NOT_ALLOWED, ""),
                BlockResponses.statusFor(Reason.DOMAIN_NOT_ALLOWED), "text/html", "<script>alert(1)</script>",
                "id\"'<>&", false, "/a/<script>alert(\"x\")</script>/'b'&c", "");
        String page = new HtmlBlockPageRenderer("<img src=x onerror=alert(1)> \"ops\"").page(c);

        assertThat(page).doesNotContain("<script").doesNotContain("<img").doesNotContain("\"ops\"")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;/a/&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;/&#39;b&#39;&amp;c")
                .contains("id&quot;&#39;&lt;&gt;&amp;")
                .contains("&lt;img src=x onerror=alert(1)&gt; &quot;ops&quot;");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"REST_XML", "QUERY"})
    void xmlDialectsEscapeTheRequestId(AwsProtocol protocol) {
        String body = render(protocol, "</Message><Code>Ok</Code>&\"'");
        assertThat(body).contains("&lt;/Message&gt;&lt;Code&gt;Ok&lt;/Code&gt;&amp;&quot;&#39;").doesNotContain("<Code>Ok");
    }

    @Test
    void jsonEscapesTheRequestId() {
        String body = render(AwsProtocol.JSON, "\",\"__type\":\"Ok\\\n");
        assertThat(body).isEqualTo("{\"__type\":\"AccessDeniedException\",\"message\":\"Blocked by Sekisho: "
                + "AWS account 999988887777 is not an allowed account (AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED). "
                + "Request id \\\",\\\"__type\\\":\\\"Ok\\\\\\n.\"}");
    }

    @Test
    void charactersXmlForbidsAreReplacedNotPassedOn() {
        assertThat(Markup.xml("a\u0000b\u001bc\td\uFFFEe\uD800f\uD83D\uDE00")).isEqualTo("a\uFFFDb\uFFFDc\td\uFFFDe\uFFFDf\uD83D\uDE00");
    }

    private static String render(AwsProtocol protocol, String requestId) {
        Decision d = Decision.deny(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "").withEvidence(
                Evidence.builder().protocol(protocol).service("sts").principalAccount("999988887777").build());
        BlockRenderer.Body b = AwsErrorRenderer.INSTANCE.render(new BlockContext(d,
                BlockResponses.statusFor(d.reason()), "", "sts.amazonaws.com", requestId, false));
        return new String(b.bytes(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/corp/a.txt?x=1 | /corp/a.txt",
        "/corp/a.txt#frag | /corp/a.txt",
        "http://user:pw@h.example/p/q?X-Amz-Signature=abc | /p/q",
        "https://h.example?SigninToken=abc | /",
        "https://h.example | /",
        "http://h.example#x/y | /",
        "/a://b?c | /a://b",
        "h.example:443 | ''",
        "* | ''"})
    void thePathShownHasNoQuery(String target, String shown) {
        assertThat(DisplayPath.of(target)).isEqualTo(shown);
    }

    @Test
    void aLongPathIsShortened() {
        assertThat(DisplayPath.of("/" + "k".repeat(500))).hasSize(DisplayPath.MAX_CHARS + 1).endsWith("\u2026");
    }

    // --- nothing from the query, the credentials or the cookies reaches a block response --------

    static final String AKID = "AKIAZZZZZZZZZZZZZZZZ";
    static final List<String> SECRETS = List.of(AKID, "X-Amz-Credential", "X-Amz-Signature", "deadbeefcafe",
            "SigninToken", "tok-SECRET-123", "Session", "sessionId", "FwoGZXIvYXdzEXAMPLETOKEN", "wJalrXUtnFEMI",
            "aws-userInfo", "SAMLResponse", "PHNhbWxwOlJlc3BvbnNl", "Action=", "login&");

    static Stream<Arguments> everyDialect() {
        List<AwsProtocol> protocols = List.of(AwsProtocol.values());
        List<String> accepts = List.of("", "text/html", "application/json");
        List<Reason> reasons = List.of(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, Reason.AWS_SIGNIN_TOKEN_UNKNOWN,
                Reason.DOMAIN_NOT_ALLOWED, Reason.UPSTREAM_TIMEOUT);
        return protocols.stream().flatMap(p -> accepts.stream().flatMap(a -> reasons.stream().map(r -> Arguments.of(p, a, r))));
    }

    @ParameterizedTest(name = "{0}, Accept {1}, {2}")
    @MethodSource("everyDialect")
    void noQueryOrCredentialReachesAHeaderOrTheBody(AwsProtocol protocol, String accept, Reason reason) {
        String uri = "https://signin.aws.amazon.com/federation?Action=login&SigninToken=tok-SECRET-123"
                + "&X-Amz-Credential=" + AKID + "%2F20261122%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=deadbeefcafe"
                + "&Session=%7B%22sessionId%22%3A%22" + AKID + "%22%7D";
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
        req.headers().set("Accept", accept)
                .set("Authorization", "AWS4-HMAC-SHA256 Credential=" + AKID + "/20261122/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host, Signature=deadbeefcafe")
                .set("X-Amz-Security-Token", "FwoGZXIvYXdzEXAMPLETOKEN")
                .set("Cookie", "aws-userInfo=%7B%22arn%22%3A%22arn%3Aaws%3Aiam%3A%3A999988887777%3Aroot%22%7D")
                .set("Content-Type", "application/x-www-form-urlencoded; SAMLResponse=PHNhbWxwOlJlc3BvbnNl");
        Decision d = Decision.deny(reason, "rule").withEvidence(Evidence.builder().protocol(protocol).flow("federation")
                .principalAccount("999988887777").accessKeyIdMasked("AKIA\u2026ZZZZ").service("sts").build());

        FullHttpResponse r = BlockResponses.standard("ops@corp.example").forRequest(d, req, "signin.aws.amazon.com",
                "01JDE5Y3K9Q2W7RZ8T4M6N0PXA", false, UnpooledByteBufAllocator.DEFAULT);
        try {
            StringBuilder everything = new StringBuilder(r.content().toString(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> h : r.headers()) {
                everything.append('\n').append(h.getKey()).append(": ").append(h.getValue());
            }
            String all = everything.toString();
            for (String s : SECRETS) {
                assertThat(all).as("must not contain %s", s).doesNotContain(s);
            }
            // The masked key is evidence for the audit line, not for the client.
            assertThat(all).doesNotContain("AKIA\u2026ZZZZ");
        } finally {
            r.release();
        }
    }
}
