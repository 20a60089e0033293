package io.sekisho.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sekisho.policy.domain.DomainPattern;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyEngineTest {
    private static final int INSPECT_BYTES = 1_000_000;

    static List<DomainPattern> patterns(String spaceSeparated) {
        if (spaceSeparated == null || spaceSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(spaceSeparated.trim().split("\\s+")).map(DomainPattern::parse).toList();
    }

    static PolicySettings settings(Mode mode, String allow, String deny, String intercept, boolean interceptConfigured) {
        return new PolicySettings(mode, patterns(allow), patterns(deny), Set.of(443, 8443), Set.of(80),
                patterns(intercept), interceptConfigured, INSPECT_BYTES, AwsSettings.NONE);
    }

    static PolicyEngine engine(String allow, String deny, RequestInspector... inspectors) {
        return new PolicyEngine(settings(Mode.ENFORCE, allow, deny, null, false), FakeCatalog.aws(), List.of(inspectors));
    }

    static ConnectFacts connect(String host, int port) {
        return new ConnectFacts("127.0.0.1:50000", HostName.parse(host), port);
    }

    static RequestFacts request(String host, int port, String connectHost, Headers headers) {
        return new RequestFacts("r1", "127.0.0.1:50000", "GET", connectHost == null ? "http" : "https",
                HostName.parse(host), port, "/", "", headers, null, false,
                connectHost == null ? null : HostName.parse(connectHost));
    }

    static void assertDecision(Decision d, Verdict verdict, Reason reason, String rule) {
        assertThat(d.verdict()).as("verdict").isEqualTo(verdict);
        assertThat(d.reason()).as("reason").isEqualTo(reason);
        assertThat(d.rule()).as("rule").isEqualTo(rule);
        assertThat(d.wouldDeny()).as("wouldDeny").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            # name                                  ; allow                         ; deny             ; host                     ; port ; verdict ; reason                 ; rule                         ; intercept
            exact name                              ; example.com                   ;                  ; example.com              ; 443  ; ALLOW   ; DOMAIN_ALLOWED         ; example.com                  ; false
            second CONNECT port                     ; example.com                   ;                  ; example.com              ; 8443 ; ALLOW   ; DOMAIN_ALLOWED         ; example.com                  ; false
            port not allowed                        ; example.com                   ;                  ; example.com              ; 22   ; DENY    ; PORT_NOT_ALLOWED       ; ''                           ; false
            plain http port is not a CONNECT port   ; example.com                   ;                  ; example.com              ; 80   ; DENY    ; PORT_NOT_ALLOWED       ; ''                           ; false
            name not allowed                        ; example.com                   ;                  ; other.org                ; 443  ; DENY    ; DOMAIN_NOT_ALLOWED     ; ''                           ; false
            name denied                             ; .example.com                  ; bad.example.com  ; bad.example.com          ; 443  ; DENY    ; DOMAIN_DENIED          ; bad.example.com              ; false
            star does not open the apex             ; *.example.com                 ;                  ; example.com              ; 443  ; DENY    ; DOMAIN_NOT_ALLOWED     ; ''                           ; false
            star opens any depth                    ; *.example.com                 ;                  ; a.b.example.com          ; 443  ; ALLOW   ; DOMAIN_ALLOWED         ; *.example.com                ; false
            most specific allow wins                ; a.example.com                 ; .example.com     ; a.example.com            ; 443  ; ALLOW   ; DOMAIN_ALLOWED         ; a.example.com                ; false
            most specific deny wins                 ; .example.com                  ; *.example.com    ; a.example.com            ; 443  ; DENY    ; DOMAIN_DENIED          ; *.example.com                ; false
            deny wins a tie                         ; .example.com                  ; .example.com     ; example.com              ; 443  ; DENY    ; DOMAIN_DENIED          ; .example.com                 ; false
            trailing dot and mixed case             ; www.example.com               ;                  ; WWW.Example.COM.         ; 443  ; ALLOW   ; DOMAIN_ALLOWED         ; www.example.com              ; false
            IDN host, punycode entry                ; xn--bcher-kva.example         ;                  ; bücher.example           ; 443  ; ALLOW   ; DOMAIN_ALLOWED         ; xn--bcher-kva.example        ; false
            IP literal without a CIDR entry         ; .example.com                  ;                  ; 93.184.216.34            ; 443  ; DENY    ; IP_LITERAL_NOT_ALLOWED ; ''                           ; false
            IP literal in a CIDR allow              ; 93.184.216.0/24               ;                  ; 93.184.216.34            ; 443  ; ALLOW   ; DOMAIN_ALLOWED         ; 93.184.216.0/24              ; false
            IP literal in a CIDR deny               ; 0.0.0.0/0                     ; 10.0.0.0/8       ; 10.0.0.1                 ; 443  ; DENY    ; DOMAIN_DENIED          ; 10.0.0.0/8                   ; false
            IPv4-mapped literal, no CIDR            ; .example.com                  ;                  ; [::ffff:10.0.0.1]        ; 443  ; DENY    ; IP_LITERAL_NOT_ALLOWED ; ''                           ; false
            IPv4-mapped literal, v4 CIDR allow      ; 10.0.0.0/8                    ;                  ; [::ffff:10.0.0.1]        ; 443  ; ALLOW   ; DOMAIN_ALLOWED         ; 10.0.0.0/8                   ; false
            IPv4-mapped literal, v4 CIDR deny       ; ::/0 0.0.0.0/0                ; 10.0.0.0/8       ; [::ffff:10.0.0.1]        ; 443  ; DENY    ; DOMAIN_DENIED          ; 10.0.0.0/8                   ; false
            IPv6 literal in a CIDR allow            ; 2001:db8::/32                 ;                  ; [2001:db8::1]            ; 443  ; ALLOW   ; DOMAIN_ALLOWED         ; 2001:db8::/32                ; false
            AWS API is intercepted                  ; .amazonaws.com                ;                  ; s3.us-east-1.amazonaws.com ; 443 ; ALLOW  ; DOMAIN_ALLOWED         ; .amazonaws.com               ; true
            sign-in is intercepted                  ; .amazon.com                   ;                  ; signin.aws.amazon.com    ; 443  ; ALLOW   ; DOMAIN_ALLOWED         ; .amazon.com                  ; true
            static assets are tunnelled             ; .a2z.com                      ;                  ; console.aws.a2z.com      ; 443  ; ALLOW   ; DOMAIN_ALLOWED         ; .a2z.com                     ; false
            denied AWS API still says intercept     ; .amazonaws.com                ; sts.amazonaws.com ; sts.amazonaws.com       ; 443  ; DENY    ; DOMAIN_DENIED          ; sts.amazonaws.com            ; true
            customer endpoint, broad allow          ; .amazonaws.com                ;                  ; my-lb-1.us-east-1.elb.amazonaws.com ; 443 ; DENY ; AWS_CUSTOMER_ENDPOINT ; .amazonaws.com         ; false
            customer endpoint, broad star allow     ; *.amazonaws.com               ;                  ; my-lb-1.us-east-1.elb.amazonaws.com ; 443 ; DENY ; AWS_CUSTOMER_ENDPOINT ; *.amazonaws.com        ; false
            customer endpoint, star at the suffix   ; .amazonaws.com *.elb.amazonaws.com ;             ; my-lb-1.us-east-1.elb.amazonaws.com ; 443 ; ALLOW ; DOMAIN_ALLOWED      ; *.elb.amazonaws.com    ; true
            customer endpoint, dot at the suffix    ; .elb.amazonaws.com            ;                  ; my-lb-1.us-east-1.elb.amazonaws.com ; 443 ; ALLOW ; DOMAIN_ALLOWED      ; .elb.amazonaws.com     ; true
            customer endpoint, narrower suffix      ; .us-east-1.elb.amazonaws.com  ;                  ; my-lb-1.us-east-1.elb.amazonaws.com ; 443 ; ALLOW ; DOMAIN_ALLOWED      ; .us-east-1.elb.amazonaws.com ; true
            customer endpoint, exact name           ; my-lb-1.us-east-1.elb.amazonaws.com ;            ; my-lb-1.us-east-1.elb.amazonaws.com ; 443 ; ALLOW ; DOMAIN_ALLOWED      ; my-lb-1.us-east-1.elb.amazonaws.com ; false
            customer endpoint, other region allowed ; .us-west-2.elb.amazonaws.com .amazonaws.com ; ; my-lb-1.us-east-1.elb.amazonaws.com ; 443 ; DENY ; AWS_CUSTOMER_ENDPOINT ; .amazonaws.com         ; false
            API Gateway under a regional API allow  ; .us-east-1.amazonaws.com      ;                  ; abc123.execute-api.us-east-1.amazonaws.com ; 443 ; DENY ; AWS_CUSTOMER_ENDPOINT ; .us-east-1.amazonaws.com ; false
            """)
    void decidesConnects(String name, String allow, String deny, String host, int port,
            Verdict verdict, Reason reason, String rule, boolean intercept) {
        Decision d = Ask.connect(engine(allow, deny), connect(host, port));
        assertDecision(d, verdict, reason, rule);
        assertThat(d.intercept()).as("intercept").isEqualTo(intercept);
        assertThat(d.evidence()).isEqualTo(Evidence.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            # name                                    ; tls.intercept ; configured ; tls.interceptExclude         ; host                          ; intercept
            default, the exact host excluded          ;               ; false      ; pinned.s3.amazonaws.com      ; pinned.s3.amazonaws.com       ; false
            default, its neighbour still intercepted  ;               ; false      ; pinned.s3.amazonaws.com      ; other.s3.amazonaws.com        ; true
            excluded in another case, trailing dot    ;               ; false      ; PINNED.S3.AMAZONAWS.COM.     ; pinned.s3.amazonaws.com       ; false
            configured list, a subdomain rule         ; .example.com  ; true       ; *.pinned.example.com         ; app.pinned.example.com        ; false
            configured list, star not the apex        ; .example.com  ; true       ; *.pinned.example.com         ; pinned.example.com            ; true
            an exclusion of a host never intercepted  ;               ; false      ; www.example.com              ; www.example.com               ; false
            """)
    void anExclusionTunnelsAHostInterceptionWouldCover(String name, String intercept, boolean configured,
            String exclude, String host, boolean expected) {
        PolicySettings base = settings(Mode.ENFORCE, ".com", null, intercept, configured);
        PolicySettings s = new PolicySettings(base.mode(), base.allow(), base.deny(), base.connectPorts(),
                base.httpPorts(), base.intercept(), base.interceptConfigured(), base.inspectBodyBytes(), base.aws(),
                patterns(exclude));
        Decision d = Ask.connect(new PolicyEngine(s, FakeCatalog.aws(), List.of()), connect(host, 443));
        assertThat(d.intercept()).isEqualTo(expected);
        assertThat(d.allowed()).as("an exclusion changes interception, not the verdict").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            # name                                    ; tls.intercept        ; configured ; host                        ; intercept
            default: AWS API                          ;                      ; false      ; s3.amazonaws.com            ; true
            default: sign-in                          ;                      ; false      ; signin.aws.amazon.com       ; true
            default: not AWS                          ;                      ; false      ; www.example.com             ; false
            default: static assets                    ;                      ; false      ; console.aws.a2z.com         ; false
            configured: a listed name                 ; .example.com         ; true       ; www.example.com             ; true
            configured: replaces the default          ; .example.com         ; true       ; s3.amazonaws.com            ; false
            configured empty: nothing                 ;                      ; true       ; s3.amazonaws.com            ; false
            configured: any matching entry            ; .com *.example.com   ; true       ; www.example.com             ; true
            configured: star not the apex             ; *.example.com        ; true       ; example.com                 ; false
            """)
    void decidesInterception(String name, String intercept, boolean configured, String host, boolean expected) {
        PolicySettings s = settings(Mode.ENFORCE, ".com", null, intercept, configured);
        Decision d = Ask.connect(new PolicyEngine(s, FakeCatalog.aws(), List.of()), connect(host, 443));
        assertThat(d.intercept()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            # name                                  ; allow                     ; deny              ; address            ; override ; verdict ; reason          ; rule
            public IPv4                             ; .example.com              ;                   ; 8.8.8.8            ; false    ; ALLOW   ; DOMAIN_ALLOWED  ; ''
            public IPv6                             ; .example.com              ;                   ; 2001:4860::8888    ; false    ; ALLOW   ; DOMAIN_ALLOWED  ; ''
            loopback                                ; .example.com              ;                   ; 127.0.0.1          ; false    ; DENY    ; PRIVATE_ADDRESS ; loopback
            RFC 1918                                ; .example.com              ;                   ; 10.0.0.5           ; false    ; DENY    ; PRIVATE_ADDRESS ; private
            instance metadata                       ; .example.com              ;                   ; 169.254.169.254    ; false    ; DENY    ; PRIVATE_ADDRESS ; cloud-metadata
            CGNAT                                   ; .example.com              ;                   ; 100.64.0.1         ; false    ; DENY    ; PRIVATE_ADDRESS ; cgnat
            unspecified                             ; .example.com              ;                   ; 0.0.0.0            ; false    ; DENY    ; PRIVATE_ADDRESS ; unspecified
            IPv4-mapped private                     ; .example.com              ;                   ; ::ffff:10.0.0.1    ; false    ; DENY    ; PRIVATE_ADDRESS ; private
            NAT64 private                           ; .example.com              ;                   ; 64:ff9b::a00:1     ; false    ; DENY    ; PRIVATE_ADDRESS ; nat64:private
            6to4 private                            ; .example.com              ;                   ; 2002:0a00:0001::   ; false    ; DENY    ; PRIVATE_ADDRESS ; 6to4:private
            IPv6 link-local                         ; .example.com              ;                   ; fe80::1            ; false    ; DENY    ; PRIVATE_ADDRESS ; link-local
            IPv6 ULA                                ; .example.com              ;                   ; fc00::1            ; false    ; DENY    ; PRIVATE_ADDRESS ; unique-local
            override: operator's VPC endpoint       ; .example.com              ;                   ; 10.0.0.5           ; true     ; ALLOW   ; DOMAIN_ALLOWED  ; upstream.resolve
            override wins over a deny CIDR          ; .example.com              ; 10.0.0.0/8        ; 10.0.0.5           ; true     ; ALLOW   ; DOMAIN_ALLOWED  ; upstream.resolve
            CIDR allow admits a private address     ; .example.com 10.0.0.0/8   ;                   ; 10.0.0.5           ; false    ; ALLOW   ; DOMAIN_ALLOWED  ; 10.0.0.0/8
            CIDR allow admits a mapped address      ; 10.0.0.0/8                ;                   ; ::ffff:10.0.0.1    ; false    ; ALLOW   ; DOMAIN_ALLOWED  ; 10.0.0.0/8
            narrower CIDR deny beats the allow      ; 169.254.0.0/16            ; 169.254.169.254   ; 169.254.169.254    ; false    ; DENY    ; DOMAIN_DENIED   ; 169.254.169.254
            CIDR allow outside the deny             ; 169.254.0.0/16            ; 169.254.169.254   ; 169.254.1.1        ; false    ; ALLOW   ; DOMAIN_ALLOWED  ; 169.254.0.0/16
            deny CIDR applies to public addresses   ; .example.com              ; 203.0.113.0/24 198.51.100.0/24 ; 198.51.100.7 ; false ; DENY ; DOMAIN_DENIED ; 198.51.100.0/24
            v4 CIDR allow does not admit NAT64 form ; 10.0.0.0/8                ;                   ; 64:ff9b::a00:1     ; false    ; DENY    ; PRIVATE_ADDRESS ; nat64:private
            """)
    void decidesAddresses(String name, String allow, String deny, String address, boolean override,
            Verdict verdict, Reason reason, String rule) throws Exception {
        // The check by address alone; how it combines with the name is ConversationTest's.
        Decision d = engine(allow, deny).byAddress(InetAddress.getByName(address), override);
        assertDecision(d, verdict, reason, rule);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            # name                                   ; allow               ; deny              ; host                ; port ; connect host        ; account      ; verdict ; reason                            ; rule
            absolute-form, http port                 ; .example.com        ;                   ; www.example.com     ; 80   ;                     ;              ; ALLOW   ; DOMAIN_ALLOWED                    ; .example.com
            absolute-form, port not in ports.http    ; .example.com        ;                   ; www.example.com     ; 8080 ;                     ;              ; DENY    ; PORT_NOT_ALLOWED                  ; ''
            absolute-form, a CONNECT port            ; .example.com        ;                   ; www.example.com     ; 443  ;                     ;              ; DENY    ; PORT_NOT_ALLOWED                  ; ''
            absolute-form, name not allowed          ; .example.com        ;                   ; other.org           ; 80   ;                     ;              ; DENY    ; DOMAIN_NOT_ALLOWED                ; ''
            absolute-form, name denied               ; .example.com        ; *.example.com     ; www.example.com     ; 80   ;                     ;              ; DENY    ; DOMAIN_DENIED                     ; *.example.com
            absolute-form, IP literal                ; .example.com        ;                   ; 192.0.2.1           ; 80   ;                     ;              ; DENY    ; IP_LITERAL_NOT_ALLOWED            ; ''
            absolute-form, customer endpoint         ; .amazonaws.com      ;                   ; lb.elb.amazonaws.com ; 80  ;                     ;              ; DENY    ; AWS_CUSTOMER_ENDPOINT             ; .amazonaws.com
            tunnel, same host                        ; .example.com        ;                   ; www.example.com     ; 443  ; www.example.com     ;              ; ALLOW   ; DOMAIN_ALLOWED                    ; .example.com
            tunnel, same host once normalised        ; .example.com        ;                   ; WWW.example.com.    ; 443  ; www.Example.COM     ;              ; ALLOW   ; DOMAIN_ALLOWED                    ; .example.com
            tunnel, other allowed host               ; .example.com        ;                   ; api.example.com     ; 443  ; www.example.com     ;              ; DENY    ; HOST_MISMATCH                     ; ''
            tunnel, other host entirely              ; .example.com        ;                   ; evil.org            ; 443  ; www.example.com     ;              ; DENY    ; HOST_MISMATCH                     ; ''
            tunnel, host denied since (reload)       ; .example.com        ; www.example.com   ; www.example.com     ; 443  ; www.example.com     ;              ; DENY    ; DOMAIN_DENIED                     ; www.example.com
            tunnel, AWS API, company account         ; .amazonaws.com      ;                   ; s3.amazonaws.com    ; 443  ; s3.amazonaws.com    ; 111122223333 ; ALLOW   ; AWS_ACCOUNT_ALLOWED               ; aws.accounts.allow
            tunnel, AWS API, foreign account         ; .amazonaws.com      ;                   ; s3.amazonaws.com    ; 443  ; s3.amazonaws.com    ; 999988887777 ; DENY    ; AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED ; aws.accounts.allow
            tunnel, AWS API, domain denied first     ; .amazonaws.com      ; s3.amazonaws.com  ; s3.amazonaws.com    ; 443  ; s3.amazonaws.com    ; 111122223333 ; DENY    ; DOMAIN_DENIED                     ; s3.amazonaws.com
            tunnel, not handled by the inspector     ; .amazon.com         ;                   ; signin.aws.amazon.com ; 443 ; signin.aws.amazon.com ; 999988887777 ; ALLOW ; DOMAIN_ALLOWED                 ; .amazon.com
            """)
    void decidesRequests(String name, String allow, String deny, String host, int port, String connectHost,
            String account, Verdict verdict, Reason reason, String rule) {
        ScriptedInspector aws = new ScriptedInspector(HostClass.AWS_API, "aws");
        Headers headers = account == null ? SimpleHeaders.EMPTY : SimpleHeaders.of("X-Test-Account", account);
        Decision d = Ask.request(engine(allow, deny, aws), request(host, port, connectHost, headers));
        assertDecision(d, verdict, reason, rule);
    }

    @Test
    void anInspectorsDecisionKeepsItsEvidence() {
        ScriptedInspector aws = new ScriptedInspector(HostClass.AWS_API, "aws");
        Decision d = Ask.request(engine(".amazonaws.com", null, aws), request("s3.amazonaws.com", 443,
                "s3.amazonaws.com", SimpleHeaders.of("X-Test-Account", "999988887777")));
        assertThat(d.evidence().principalAccount()).isEqualTo("999988887777");
        assertThat(d.evidence().protocol()).isEqualTo(AwsProtocol.REST_XML);
    }

    @Test
    void theFirstInspectorThatHandlesTheHostDecides() {
        ScriptedInspector signin = new ScriptedInspector(HostClass.AWS_SIGNIN_CONSOLE, "signin");
        ScriptedInspector first = new ScriptedInspector(HostClass.AWS_API, "first");
        first.decider = f -> Decision.deny(Reason.AWS_BUCKET_NOT_ALLOWED, "");
        ScriptedInspector second = new ScriptedInspector(HostClass.AWS_API, "second");
        second.decider = f -> Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "");
        Decision d = Ask.request(engine(".amazonaws.com", null, signin, first, second),
                request("s3.amazonaws.com", 443, "s3.amazonaws.com", SimpleHeaders.EMPTY));
        assertDecision(d, Verdict.DENY, Reason.AWS_BUCKET_NOT_ALLOWED, "first");
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                arguments("decide throws", (Function<ScriptedInspector, Void>) i -> {
                    i.decider = f -> {
                        throw new IllegalStateException("boom");
                    };
                    return null;
                }),
                arguments("decide returns null", (Function<ScriptedInspector, Void>) i -> {
                    i.decider = f -> null;
                    return null;
                }),
                arguments("handles throws", (Function<ScriptedInspector, Void>) i -> {
                    i.throwOnHandles = new IllegalArgumentException("boom");
                    return null;
                }),
                arguments("bodyNeed throws", (Function<ScriptedInspector, Void>) i -> {
                    i.throwOnBodyNeed = new ArrayIndexOutOfBoundsException(3);
                    return null;
                }));
    }

    @ParameterizedTest(name = "{0} -> INTERNAL_ERROR")
    @MethodSource("failures")
    void aFailingInspectorDeniesTheRequest(String name, Function<ScriptedInspector, Void> breakIt) {
        ScriptedInspector aws = new ScriptedInspector(HostClass.AWS_API, "aws");
        breakIt.apply(aws);
        Decision d = Ask.request(engine(".amazonaws.com", null, aws), request("s3.amazonaws.com", 443,
                "s3.amazonaws.com", SimpleHeaders.of("X-Test-Account", ScriptedInspector.COMPANY)));
        assertDecision(d, Verdict.DENY, Reason.INTERNAL_ERROR, "");
    }

    @Test
    void aFailingClassifierDeniesConnectsAndRequests() {
        HostClassifier broken = h -> {
            throw new IllegalStateException("catalog bug");
        };
        PolicyEngine e = new PolicyEngine(settings(Mode.ENFORCE, ".example.com", null, null, false), broken, List.of());
        assertDecision(Ask.connect(e, connect("www.example.com", 443)), Verdict.DENY, Reason.INTERNAL_ERROR, "");
        assertDecision(Ask.request(e, request("www.example.com", 80, null, SimpleHeaders.EMPTY)),
                Verdict.DENY, Reason.INTERNAL_ERROR, "");
        assertThat(e.decide(Exchange.request(request("www.example.com", 80, null, SimpleHeaders.EMPTY), true, false,
                null))).isEqualTo(Decision.internalError());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            # name                                ; host               ; connect host       ; asks for              ; expected
            clamped to inspect.bodyBytes          ; s3.amazonaws.com   ; s3.amazonaws.com   ; WHOLE 10000000        ; WHOLE 1000000
            within the limit, untouched           ; s3.amazonaws.com   ; s3.amazonaws.com   ; WHOLE 4096            ; WHOLE 4096
            prefix clamped too                    ; s3.amazonaws.com   ; s3.amazonaws.com   ; PREFIX 2000000        ; PREFIX 1000000
            inspector needs nothing               ; s3.amazonaws.com   ; s3.amazonaws.com   ; NONE 0                ; NONE 0
            no inspector for the host             ; www.example.com    ; www.example.com    ; WHOLE 4096            ; NONE 0
            destination denied: no body needed    ; s3.amazonaws.com   ; sts.amazonaws.com  ; WHOLE 4096            ; NONE 0
            """)
    void bodyNeedComesFromTheInspectorWithinTheLimit(String name, String host, String connectHost, String asks, String expected) {
        ScriptedInspector aws = new ScriptedInspector(HostClass.AWS_API, "aws");
        aws.need = need(asks);
        BodyNeed n = Ask.bodyNeed(engine(".amazonaws.com .example.com", null, aws),
                request(host, 443, connectHost, SimpleHeaders.EMPTY));
        assertThat(n).isEqualTo(need(expected));
    }

    private static BodyNeed need(String kindAndLimit) {
        String[] p = kindAndLimit.split(" ");
        return new BodyNeed(BodyNeed.Kind.valueOf(p[0]), Integer.parseInt(p[1]));
    }

    @Test
    void anAllowJudgedOnACutBodyIsDenied() {
        ScriptedInspector aws = new ScriptedInspector(HostClass.AWS_API, "aws");
        aws.need = BodyNeed.whole(10_000_000);
        RequestFacts cut = request("sqs.amazonaws.com", 443, "sqs.amazonaws.com",
                SimpleHeaders.of("X-Test-Account", ScriptedInspector.COMPANY))
                .withBody(ByteBuffer.allocate(INSPECT_BYTES), false);
        Decision d = Ask.request(engine(".amazonaws.com", null, aws), cut);
        assertDecision(d, Verdict.DENY, Reason.BODY_TOO_LARGE_TO_INSPECT, "aws.accounts.allow");
        assertThat(d.evidence().protocol()).as("the block answers in the client's protocol").isEqualTo(AwsProtocol.REST_XML);
        RequestFacts whole = cut.withBody(ByteBuffer.allocate(10), true);
        assertThat(Ask.request(engine(".amazonaws.com", null, aws), whole).reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
    }

    static Stream<Arguments> reportMode() {
        ScriptedInspector aws = new ScriptedInspector(HostClass.AWS_API, "aws");
        ScriptedInspector broken = new ScriptedInspector(HostClass.AWS_API, "aws");
        broken.decider = f -> {
            throw new IllegalStateException("boom");
        };
        return Stream.of(
                arguments("CONNECT to a name not allowed", List.of(),
                        (Function<PolicyEngine, Decision>) e -> Ask.connect(e, connect("other.org", 443)),
                        Reason.DOMAIN_NOT_ALLOWED, ""),
                arguments("CONNECT to a denied port", List.of(),
                        (Function<PolicyEngine, Decision>) e -> Ask.connect(e, connect("www.example.com", 25)),
                        Reason.PORT_NOT_ALLOWED, ""),
                arguments("resolved to metadata", List.of(),
                        (Function<PolicyEngine, Decision>) e -> Ask.address(e, connect("www.example.com", 443),
                                address("169.254.169.254"), false),
                        Reason.PRIVATE_ADDRESS, "cloud-metadata"),
                arguments("request to another host in a tunnel", List.of(),
                        (Function<PolicyEngine, Decision>) e -> Ask.request(e,
                                request("evil.org", 443, "www.example.com", SimpleHeaders.EMPTY)),
                        Reason.HOST_MISMATCH, ""),
                arguments("foreign AWS account", List.of(aws),
                        (Function<PolicyEngine, Decision>) e -> Ask.request(e, request("s3.amazonaws.com", 443,
                                "s3.amazonaws.com", SimpleHeaders.of("X-Test-Account", "999988887777"))),
                        Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, "aws.accounts.allow"),
                arguments("trailers an inspector does not define", List.of(aws),
                        (Function<PolicyEngine, Decision>) e -> Ask.trailers(e, request("s3.amazonaws.com", 443,
                                "s3.amazonaws.com", SimpleHeaders.EMPTY), SimpleHeaders.of("X-Foo", "1")),
                        Reason.BODY_TRAILER_NOT_ALLOWED, ""),
                arguments("inspector failure", List.of(broken),
                        (Function<PolicyEngine, Decision>) e -> Ask.request(e, request("s3.amazonaws.com", 443,
                                "s3.amazonaws.com", SimpleHeaders.EMPTY)),
                        Reason.INTERNAL_ERROR, ""));
    }

    @ParameterizedTest(name = "report mode: {0}")
    @MethodSource("reportMode")
    void reportModeLetsADenyThroughAndSaysWhy(String name, List<RequestInspector> inspectors,
            Function<PolicyEngine, Decision> call, Reason reason, String rule) {
        PolicyEngine report = new PolicyEngine(settings(Mode.REPORT, ".example.com .amazonaws.com", null, null, false),
                FakeCatalog.aws(), inspectors);
        Decision d = call.apply(report);
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.wouldDeny()).isTrue();
        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.rule()).isEqualTo(rule);
        PolicyEngine enforce = new PolicyEngine(settings(Mode.ENFORCE, ".example.com .amazonaws.com", null, null, false),
                FakeCatalog.aws(), inspectors);
        assertDecision(call.apply(enforce), Verdict.DENY, reason, rule);
    }

    @Test
    void trailersGoToTheInspectorOfTheHostAndPassWhereNoneInspects() {
        ScriptedInspector aws = new ScriptedInspector(HostClass.AWS_API, "aws");
        PolicyEngine e = engine(".amazonaws.com .example.com", null, aws);
        SimpleHeaders trailer = SimpleHeaders.of("Authorization", "AWS4-HMAC-SHA256 Credential=x");
        assertDecision(Ask.trailers(e, request("s3.amazonaws.com", 443, "s3.amazonaws.com", SimpleHeaders.EMPTY), trailer),
                Verdict.DENY, Reason.BODY_TRAILER_NOT_ALLOWED, "");
        assertDecision(Ask.trailers(e, request("www.example.com", 443, "www.example.com", SimpleHeaders.EMPTY), trailer),
                Verdict.ALLOW, Reason.DOMAIN_ALLOWED, "");
        assertDecision(Ask.trailers(e, request("s3.amazonaws.com", 443, "s3.amazonaws.com", SimpleHeaders.EMPTY),
                SimpleHeaders.EMPTY), Verdict.ALLOW, Reason.DOMAIN_ALLOWED, "");
    }

    @Test
    void reportModeLeavesAnAllowAlone() {
        PolicyEngine report = new PolicyEngine(settings(Mode.REPORT, ".amazonaws.com", null, null, false),
                FakeCatalog.aws(), List.of());
        Decision d = Ask.connect(report, connect("s3.amazonaws.com", 443));
        assertDecision(d, Verdict.ALLOW, Reason.DOMAIN_ALLOWED, ".amazonaws.com");
        assertThat(d.intercept()).isTrue();
    }

    @Test
    void responsesGoToTheHandlingInspectorAndItsFailuresAreSwallowed() {
        ScriptedInspector aws = new ScriptedInspector(HostClass.AWS_API, "aws");
        aws.responseNeed = BodyNeed.whole(50_000_000);
        PolicyEngine e = engine(".amazonaws.com .example.com", null, aws);
        RequestFacts toAws = request("s3.amazonaws.com", 443, "s3.amazonaws.com", SimpleHeaders.EMPTY);
        RequestFacts elsewhere = request("www.example.com", 443, "www.example.com", SimpleHeaders.EMPTY);
        ResponseFacts ok = new ResponseFacts(200, SimpleHeaders.EMPTY, null, false);
        // As the conversation gives it for a request whose response an inspector reads.
        Decision allowed = Decision.allow(Reason.AWS_ACCOUNT_ALLOWED, "").withResponseRead(true);

        assertThat(Ask.response(e, toAws, allowed, ok)).isEqualTo(new Need.ResponseBody(INSPECT_BYTES));
        assertThat(Ask.response(e, elsewhere, allowed, ok)).as("no inspector: learns nothing, the decision stands")
                .isEqualTo(allowed);
        ResponseFacts read = new ResponseFacts(200, SimpleHeaders.EMPTY, ByteBuffer.allocate(3), true);
        assertThat(Ask.response(e, toAws, allowed, read)).isEqualTo(allowed);
        assertThat(Ask.response(e, elsewhere, allowed, new ResponseFacts(204, SimpleHeaders.EMPTY, null, false)))
                .isEqualTo(allowed);
        assertThat(aws.responsesSeen).containsExactly(200);

        aws.throwOnResponse = new IllegalStateException("boom");
        assertThat(Ask.response(e, toAws, allowed, read)).as("a failure to learn is swallowed").isEqualTo(allowed);
        assertThat(aws.responsesSeen).containsExactly(200);
    }

    @Test
    void warningsKnowTheCatalog() {
        PolicyEngine e = engine(".amazonaws.com *.elb.amazonaws.com a.example.com .example.com", null);
        assertThat(e.warnings()).extracting(w -> w.list() + w.index()).containsExactly("allow2");
    }

    private static InetAddress address(String literal) {
        return HostName.parse(literal).literalAddress();
    }
}
