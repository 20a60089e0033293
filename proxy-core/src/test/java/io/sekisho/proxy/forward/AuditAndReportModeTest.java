package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Mode;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the audit line says, field by field, and report mode's wouldDeny. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditAndReportModeTest {
    private RecordingOrigin origin;

    @BeforeEach
    void start() throws Exception {
        origin = new RecordingOrigin();
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    @Test
    void aForwardedRequestHasExactlyTheDocumentedFieldsAndNoQueryString() {
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("origin.test", origin.port())
                .build(), TestPolicy.allowing("origin.test"))) {
            Curl.viaProxy(proxy.url(), "http://origin.test/a/b?X-Amz-Signature=deadbeef&token=secret");

            Map<String, Object> line = proxy.audit().await("GET", "origin.test");
            assertThat(line.keySet()).containsExactly("time", "requestId", "client", "method", "host", "port", "path",
                    "verdict", "reason", "rule", "mode", "wouldDeny", "bytesUp", "bytesDown", "durationMs", "status",
                    "userAgent", "user", "groups", "authScheme", "policy");
            assertThat((String) line.get("userAgent")).startsWith("curl/");
            assertThat(line).containsEntry("status", 200L).containsEntry("path", "/a/b").containsEntry("port", 80L)
                    .containsEntry("verdict", "ALLOW").containsEntry("reason", "DOMAIN_ALLOWED")
                    .containsEntry("rule", "origin.test").containsEntry("mode", "enforce")
                    .containsEntry("wouldDeny", false).containsEntry("bytesUp", 0L).containsEntry("bytesDown", 49L);
            assertThat((String) line.get("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat((String) line.get("client")).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(String.join("\n", proxy.audit().rawLines())).doesNotContain("deadbeef", "secret", "?");
        }
    }

    @Test
    void evidenceFieldsAppearOnlyWhenKnown() {
        Evidence e = Evidence.builder().principalAccount("111122223333")
                .resourceAccounts(List.of("111122223333", "444455556666")).accessKeyIdMasked("AKIA…MPLE")
                .keyType("long-term").service("s3").region("eu-west-1").action("PutObject")
                .signing("sigv4-header").protocol(AwsProtocol.REST_XML).build();
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("origin.test", origin.port())
                .build(), TestPolicy.allowing("origin.test").withEvidence(e))) {
            Curl.viaProxy(proxy.url(), "http://origin.test/bucket/key");

            Map<String, Object> line = proxy.audit().await("GET", "origin.test");
            assertThat(line).containsEntry("principalAccount", "111122223333")
                    .containsEntry("resourceAccounts", List.of("111122223333", "444455556666"))
                    .containsEntry("accessKeyId", "AKIA…MPLE").containsEntry("keyType", "long-term")
                    .containsEntry("service", "s3").containsEntry("region", "eu-west-1")
                    .containsEntry("action", "PutObject").containsEntry("signing", "sigv4-header")
                    .doesNotContainKeys("flow", "identityCenter");
        }
    }

    @Test
    void reportModeLetsADeniedRequestThroughAndSaysWouldDeny() {
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().mode(Mode.REPORT)
                .resolve(".test", origin.port()).build(), TestPolicy.reportMode("origin.test"))) {
            Curl.Result r = Curl.viaProxy(proxy.url(), "http://elsewhere.test/x");

            assertThat(r.status()).isEqualTo(200);
            assertThat(origin.awaitRequest(1).header("Host")).isEqualTo("elsewhere.test");
            assertThat(proxy.audit().await("GET", "elsewhere.test")).containsEntry("verdict", "ALLOW")
                    .containsEntry("reason", "DOMAIN_NOT_ALLOWED").containsEntry("wouldDeny", true)
                    .containsEntry("mode", "report");
        }
    }

    @Test
    void reportModeLetsADeniedConnectThrough() {
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().mode(Mode.REPORT)
                .resolve(".test", origin.port()).build(), TestPolicy.reportMode("origin.test"))) {
            Curl.Result r = Curl.viaProxy(proxy.url(), "-p", "http://elsewhere.test:443/x");

            assertThat(r.status()).isEqualTo(200);
            assertThat(proxy.audit().await("CONNECT", "elsewhere.test")).containsEntry("verdict", "ALLOW")
                    .containsEntry("wouldDeny", true).containsEntry("reason", "DOMAIN_NOT_ALLOWED");
        }
    }

    /**
     * Issue 12 point 7: a name the policy would deny that also fails DNS is audited with the
     * domain verdict (what enforce would have done), not only as a DNS failure; the client is
     * still told the name could not be resolved.
     */
    @Test
    void reportModeAuditsTheDomainVerdictOfANameThatFailsDns() {
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().mode(Mode.REPORT)
                .resolve("origin.test", origin.port()).build(), TestPolicy.reportMode("origin.test"))) {
            Curl.Result forwarded = Curl.viaProxy(proxy.url(), "http://nowhere.invalid/x");
            Curl.Result connect = Curl.viaProxy(proxy.url(), "-p", "http://nowhere.invalid:443/x");

            assertThat(forwarded.status()).isEqualTo(502);
            assertThat(forwarded.headers()).containsIgnoringCase("x-sekisho-reason: DNS_FAILED");
            assertThat(connect.status()).isNotEqualTo(200);
            assertThat(proxy.resolver().lookups()).contains("nowhere.invalid");
            assertThat(proxy.audit().await("GET", "nowhere.invalid")).containsEntry("verdict", "ALLOW")
                    .containsEntry("reason", "DOMAIN_NOT_ALLOWED").containsEntry("wouldDeny", true);
            assertThat(proxy.audit().await("CONNECT", "nowhere.invalid")).containsEntry("verdict", "ALLOW")
                    .containsEntry("reason", "DOMAIN_NOT_ALLOWED").containsEntry("wouldDeny", true);
        }
    }

    @Test
    void reportModeAuditsAnAllowedNameThatFailsDnsAsADnsFailure() {
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().mode(Mode.REPORT)
                .resolve("origin.test", origin.port()).build(), TestPolicy.reportMode("allowed.invalid"))) {
            Curl.Result forwarded = Curl.viaProxy(proxy.url(), "http://allowed.invalid/x");

            assertThat(forwarded.status()).isEqualTo(502);
            assertThat(proxy.audit().await("GET", "allowed.invalid")).containsEntry("verdict", "DENY")
                    .containsEntry("reason", "DNS_FAILED").containsEntry("wouldDeny", false);
        }
    }

    @Test
    void thePolicyIsToldAboutResponsesWithTheBodyPrefixItAskedFor() {
        TestPolicy policy = TestPolicy.allowing("origin.test").inspectResponses(5);
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("origin.test", origin.port())
                .build(), policy)) {
            Curl.Result r = Curl.viaProxy(proxy.url(), "http://origin.test/chunked/3000");

            assertThat(r.body()).hasSize(3000);
            proxy.audit().await("GET", "origin.test");
            assertThat(policy.responsesSeen()).containsExactly("200 abcde");
        }
    }

    @Test
    void aResponseThePolicyDoesNotReadIsNotReportedToIt() {
        TestPolicy policy = TestPolicy.allowing("origin.test");
        try (ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve("origin.test", origin.port())
                .build(), policy)) {
            Curl.Result first = Curl.viaProxy(proxy.url(), "http://origin.test/chunked/3000");
            Curl.Result second = Curl.viaProxy(proxy.url(), "http://origin.test/hello");

            assertThat(first.body()).hasSize(3000);
            assertThat(second.status()).isEqualTo(200);
            proxy.audit().await("GET", "origin.test");
            assertThat(policy.seen()).hasSize(2);
            assertThat(policy.responsesSeen()).as("no response phase was asked for").isEmpty();
        }
    }
}
