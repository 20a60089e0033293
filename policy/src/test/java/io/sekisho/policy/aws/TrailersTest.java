package io.sekisho.policy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import io.sekisho.policy.SimpleHeaders;
import io.sekisho.policy.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 18 point 3: HTTP/1.1 chunked trailers arrive after the request was judged, so a
 * credential among them is refused, and so is any trailer AWS does not define for requests.
 */
class TrailersTest {
    private static final Req PUT = BodyPlanTest.signed("PUT", "https://corp-data-bucket.s3.amazonaws.com/k", "s3")
            .header("Transfer-Encoding", "chunked").header("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', textBlock = """
            # name                  ; value                                     ; expected
            x-amz-checksum-crc32    ; ZKlShA==                                  ; DOMAIN_ALLOWED
            X-Amz-Checksum-SHA256   ; n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg= ; DOMAIN_ALLOWED
            Authorization           ; AWS4-HMAC-SHA256 Credential=AKIA6RU73QDQRHBTHXS4/20261122/us-east-1/s3/aws4_request ; BODY_TRAILER_CREDENTIAL
            authorization           ; AWS AKIA6RU73QDQRHBTHXS4:sig              ; BODY_TRAILER_CREDENTIAL
            X-Amz-Security-Token    ; IQoJb3JpZ2lu                              ; BODY_TRAILER_CREDENTIAL
            x-amz-s3session-token   ; t                                         ; BODY_TRAILER_CREDENTIAL
            X-AMZ-CREDENTIAL        ; AKIA6RU73QDQRHBTHXS4/20261122/us-east-1/s3/aws4_request ; BODY_TRAILER_CREDENTIAL
            x-amz-credential-extra  ; x                                         ; BODY_TRAILER_CREDENTIAL
            X-Amzn-Authorization    ; AWS3-HTTPS AWSAccessKeyId=AKIA6RU73QDQRHBTHXS4 ; BODY_TRAILER_CREDENTIAL
            x-amz-trailer-signature ; 0f0f                                      ; BODY_TRAILER_NOT_ALLOWED
            x-amz-checksum-         ; x                                         ; BODY_TRAILER_NOT_ALLOWED
            x-amz-expected-bucket-owner ; 999988887777                          ; BODY_TRAILER_NOT_ALLOWED
            X-Foo                   ; bar                                       ; BODY_TRAILER_NOT_ALLOWED
            """)
    void httpTrailersAreJudgedByName(String name, String value, Reason expected) {
        Decision d = Settings.inspector(Settings.BASE).onTrailers(PUT.facts(), HostClass.AWS_API, SimpleHeaders.of(name, value));
        assertThat(d.reason()).isEqualTo(expected);
        assertThat(d.verdict()).isEqualTo(expected.verdict());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            a refused trailer after an allowed one ; x-amz-checksum-crc32 ; X-Foo         ; BODY_TRAILER_NOT_ALLOWED
            a credential after a refused one       ; X-Foo                ; Authorization ; BODY_TRAILER_CREDENTIAL
            """)
    void theWorstTrailerDecides(String name, String first, String second, Reason expected) {
        Decision d = Settings.inspector(Settings.BASE).onTrailers(PUT.facts(), HostClass.AWS_API,
                SimpleHeaders.of(first, "AAAA", second, "AAAA"));
        assertThat(d.reason()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "AWS checks off: {0}")
    @CsvSource({"Authorization", "X-Foo"})
    void withTheChecksOffTrailersPass(String name) {
        Decision d = Settings.inspector(Settings.OFF).onTrailers(PUT.facts(), HostClass.AWS_API, SimpleHeaders.of(name, "x"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    }
}
