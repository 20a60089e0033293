package io.sekisho.policy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Ask;
import io.sekisho.policy.ConnectFacts;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Mode;
import io.sekisho.policy.PolicyEngine;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.ReadOnly;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.domain.DomainPattern;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 15 points 6 and 7 through the real engine: a customer endpoint that a broad rule admits
 * is intercepted and read-only, one named exactly is open; an AWS-owned name the catalog does not
 * know is intercepted, judged on its credentials, and without one only read.
 */
class ReadOnlyHostsTest {
    static final String ALLOW = ".cloudfront.net d111exact.cloudfront.net *.execute-api.us-east-1.amazonaws.com"
            + " .amazonaws.com .aws.amazon.com .aws .lambda-url.us-east-1.on.aws";

    static PolicyEngine engine() {
        List<DomainPattern> allow = new ArrayList<>();
        for (String a : ALLOW.split(" ")) {
            allow.add(DomainPattern.parse(a));
        }
        PolicySettings s = new PolicySettings(Mode.ENFORCE, allow, List.of(), Set.of(443), Set.of(80, 443), List.of(),
                false, Settings.BODY_LIMIT, Settings.BASE);
        return StandardPolicy.create(s, KeyLookup.NONE, new InMemorySigninTokenStore(), Clock.systemUTC());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            # name                                 ; host                                        ; verdict ; intercept
            broad rule: intercepted                ; d123abc.cloudfront.net                      ; ALLOW   ; true
            exact rule: tunnelled as before        ; d111exact.cloudfront.net                    ; ALLOW   ; false
            API Gateway by its star rule           ; abc123.execute-api.us-east-1.amazonaws.com  ; ALLOW   ; true
            Lambda URL by its dot rule             ; xyz.lambda-url.us-east-1.on.aws             ; ALLOW   ; true
            rule broader than the catalog suffix   ; my-lb.us-east-1.elb.amazonaws.com           ; DENY    ; false
            unknown AWS-owned name                 ; newthing.aws.amazon.com                     ; ALLOW   ; true
            unknown name under .aws                ; repost.aws                                  ; ALLOW   ; true
            """)
    void connects(String name, String host, String verdict, boolean intercept) {
        Decision d = Ask.connect(engine(), new ConnectFacts("127.0.0.1:1", HostName.parse(host), 443));
        assertThat(d.verdict().name()).isEqualTo(verdict);
        assertThat(d.intercept()).isEqualTo(intercept);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            # name                              ; method  ; url                                                        ; header                       ; body ; reason
            GET of a page                       ; GET     ; https://d123abc.cloudfront.net/app.js?v=3                   ; ''                           ; ''   ; DOMAIN_ALLOWED
            HEAD                                ; HEAD    ; https://d123abc.cloudfront.net/                             ; ''                           ; ''   ; DOMAIN_ALLOWED
            OPTIONS preflight                   ; OPTIONS ; https://d123abc.cloudfront.net/upload                       ; Origin: https://x            ; ''   ; DOMAIN_ALLOWED
            GET with Content-Length 0           ; GET     ; https://d123abc.cloudfront.net/                             ; Content-Length: 0            ; ''   ; DOMAIN_ALLOWED
            PUT upload                          ; PUT     ; https://d123abc.cloudfront.net/upload/x                     ; ''                           ; data ; AWS_CUSTOMER_ENDPOINT_WRITE
            POST form                           ; POST    ; https://d123abc.cloudfront.net/submit                       ; ''                           ; a=b  ; AWS_CUSTOMER_ENDPOINT_WRITE
            POST with no body                   ; POST    ; https://d123abc.cloudfront.net/submit                       ; ''                           ; ''   ; AWS_CUSTOMER_ENDPOINT_WRITE
            method in lower case                ; get     ; https://d123abc.cloudfront.net/                             ; ''                           ; ''   ; AWS_CUSTOMER_ENDPOINT_WRITE
            GET with a body                     ; GET     ; https://d123abc.cloudfront.net/                             ; ''                           ; data ; AWS_CUSTOMER_ENDPOINT_WRITE
            GET with a chunked body             ; GET     ; https://d123abc.cloudfront.net/                             ; transfer-encoding: chunked   ; ''   ; AWS_CUSTOMER_ENDPOINT_WRITE
            GET, Content-Length in caps         ; GET     ; https://d123abc.cloudfront.net/                             ; CONTENT-LENGTH: 5            ; ''   ; AWS_CUSTOMER_ENDPOINT_WRITE
            GET with a long query               ; GET     ; https://d123abc.cloudfront.net/?q=LONG                      ; ''                           ; ''   ; AWS_CUSTOMER_ENDPOINT_WRITE
            DELETE                              ; DELETE  ; https://d123abc.cloudfront.net/x                            ; ''                           ; ''   ; AWS_CUSTOMER_ENDPOINT_WRITE
            exact rule: PUT is open             ; PUT     ; https://d111exact.cloudfront.net/upload                     ; ''                           ; data ; DOMAIN_ALLOWED
            API Gateway POST                    ; POST    ; https://abc123.execute-api.us-east-1.amazonaws.com/prod/x   ; ''                           ; {}   ; AWS_CUSTOMER_ENDPOINT_WRITE
            Lambda URL PUT                      ; PUT     ; https://xyz.lambda-url.us-east-1.on.aws/                    ; ''                           ; d    ; AWS_CUSTOMER_ENDPOINT_WRITE
            unknown AWS name: unsigned GET      ; GET     ; https://newthing.aws.amazon.com/docs                        ; ''                           ; ''   ; AWS_NO_ACCOUNT_EVIDENCE
            unknown AWS name: unsigned POST     ; POST    ; https://newthing.aws.amazon.com/api                         ; Content-Type: application/json ; {}  ; AWS_UNKNOWN_HOST_UNREADABLE
            unknown AWS name: cookie POST       ; POST    ; https://newthing.aws.amazon.com/api                         ; Cookie: aws-creds=x          ; {}   ; AWS_UNKNOWN_HOST_UNREADABLE
            unknown AWS name: long query        ; GET     ; https://newthing.aws.amazon.com/?q=LONG                     ; ''                           ; ''   ; AWS_UNKNOWN_HOST_UNREADABLE
            unknown AWS name: foreign SigV4     ; POST    ; https://newthing.aws.amazon.com/api                         ; Authorization: FOREIGN       ; {}   ; AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED
            unknown AWS name: company SigV4     ; POST    ; https://newthing.aws.amazon.com/api                         ; Authorization: CORP          ; {}   ; AWS_ACCOUNT_ALLOWED
            unknown AWS name: foreign presigned ; GET     ; https://newthing.aws.amazon.com/x?PRESIGNED                 ; ''                           ; ''   ; AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED
            unknown AWS name: bearer token      ; GET     ; https://repost.aws/api                                      ; Authorization: Bearer abc.def ; ''  ; AWS_KEY_UNRESOLVABLE
            unknown AWS name: foreign ARN       ; POST    ; https://newthing.aws.amazon.com/api                         ; Authorization: CORP          ; ARN  ; AWS_RESOURCE_ACCOUNT_NOT_ALLOWED
            """)
    void requests(String name, String method, String url, String header, String body, Reason reason) {
        String u = url.replace("LONG", "x".repeat(ReadOnly.QUERY_BYTES))
                .replace("PRESIGNED", Forms.presignedQuery(Forms.FOREIGN, "us-east-1", "newthing"));
        Req r = Req.of(method, u).header("Content-Type", "application/json");
        if (!header.isEmpty()) {
            int colon = header.indexOf(':');
            String value = header.substring(colon + 1).strip();
            value = value.equals("CORP") ? Forms.sigv4(Forms.CORP, "us-east-1", "newthing")
                    : value.equals("FOREIGN") ? Forms.sigv4(Forms.FOREIGN, "us-east-1", "newthing") : value;
            r.header(header.substring(0, colon), value);
        }
        if (!body.isEmpty()) {
            r.body(body.equals("ARN") ? "{\"TopicArn\":\"arn:aws:sns:us-east-1:999988887777:t\"}" : body);
        }
        RequestFacts f = r.facts();
        Decision d = Ask.request(engine(), f);
        assertThat(d.reason()).as(d.rule()).isEqualTo(reason);
    }
}
