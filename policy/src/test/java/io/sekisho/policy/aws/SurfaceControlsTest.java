package io.sekisho.policy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sekisho.policy.Ask;
import io.sekisho.policy.AwsControls;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Mode;
import io.sekisho.policy.PolicyEngine;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.Reason;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.Verdict;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.domain.DomainPattern;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15 points 5 and 8 through the real engine (catalog, AWS inspector, closed-network
 * inspector): alias hosts whose owner is invisible, access point and MRAP ARNs still checked by
 * account, MFA-required AssumeRole, and the StartSession document, target and remote-host lists.
 * Each check comes with header-case, duplicate-parameter and encoding variants.
 */
class SurfaceControlsTest {
    static final String CORP_AP = "corp-ap-hqfa5nbmsjv3rvxwpktbybc1sn5pusw2a-s3alias";
    static final String FOREIGN_AP = "their-ap-x7q2hn5k8w3mfzb1pc9rjy4tsd6vuea-s3alias";
    static final String MFA_ROLE = "arn:aws:iam::111122223333:role/prod-admin";
    static final String PLAIN_ROLE = "arn:aws:iam::111122223333:role/readonly";
    static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    static final String SSM = "https://ssm.ap-northeast-1.amazonaws.com/";
    static final String START = "AmazonSSM.StartSession";
    static final String JSON = "application/x-amz-json-1.1";

    static final AwsControls CONTROLS = new AwsControls(List.of(CORP_AP), List.of("mfzwi23gnjvgw"),
            List.of("arn:aws:iam::111122223333:role/prod-*"),
            List.of("AWS-StartPortForwardingSession", "AWS-StartSSHSession", "AWS-StartPortForwardingSessionToRemoteHost"),
            List.of("i-0abc*", "mi-0123456789abcdef0"), List.of("db.corp.internal", "10.0.*"));

    static PolicyEngine engine() {
        List<DomainPattern> allow = List.of(DomainPattern.parse(".amazonaws.com"));
        AwsSettings aws = Settings.BASE.withControls(CONTROLS);
        PolicySettings s = new PolicySettings(Mode.ENFORCE, allow, List.of(), Set.of(443), Set.of(80, 443), List.of(),
                false, Settings.BODY_LIMIT, aws);
        return StandardPolicy.create(s, KeyLookup.NONE, new InMemorySigninTokenStore(), Clock.systemUTC());
    }

    static Req signed(String method, String url, String service) {
        return Req.of(method, url).header("Authorization", Forms.sigv4(Forms.CORP, "us-east-1", service));
    }

    static Stream<Arguments> aliases() {
        return Stream.of(
            arguments("MRAP alias host, not listed", signed("PUT", "https://x7k2m9q3wz8fp.mrap.accesspoint.s3-global.amazonaws.com/k", "s3")
                    .body("data"), Reason.AWS_MRAP_ALIAS_NOT_ALLOWED),
            arguments("MRAP alias host, listed", signed("PUT", "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/k", "s3")
                    .body("data"), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("MRAP alias host, mixed case", signed("PUT", "https://X7K2M9Q3WZ8FP.MRAP.accesspoint.s3-global.amazonaws.com/k",
                    "s3").body("data"), Reason.AWS_MRAP_ALIAS_NOT_ALLOWED),
            arguments("MRAP alias read, not listed", signed("GET", "https://x7k2m9q3wz8fp.mrap.accesspoint.s3-global.amazonaws.com/k",
                    "s3"), Reason.AWS_MRAP_ALIAS_NOT_ALLOWED),
            arguments("AP alias, virtual host", signed("PUT", "https://" + FOREIGN_AP + ".s3.us-east-1.amazonaws.com/k", "s3")
                    .body("data"), Reason.AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED),
            arguments("AP alias, path style", signed("PUT", "https://s3.us-east-1.amazonaws.com/" + FOREIGN_AP + "/k", "s3")
                    .body("data"), Reason.AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED),
            arguments("AP alias, path style percent-encoded", signed("PUT", "https://s3.us-east-1.amazonaws.com/"
                    + FOREIGN_AP.replace("-s3alias", "%2Ds3alias") + "/k", "s3").body("data"),
                    Reason.AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED),
            arguments("AP alias, path style upper case", signed("PUT", "https://s3.us-east-1.amazonaws.com/"
                    + FOREIGN_AP.toUpperCase() + "/k", "s3").body("data"), Reason.AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED),
            arguments("Object Lambda alias", signed("GET", "https://s3.us-east-1.amazonaws.com/their-olap-abc--ol-s3/k", "s3"),
                    Reason.AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED),
            arguments("Outposts alias", signed("GET", "https://s3.us-east-1.amazonaws.com/their-op-abc--op-s3/k", "s3"),
                    Reason.AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED),
            arguments("listed AP alias", signed("PUT", "https://" + CORP_AP + ".s3.us-east-1.amazonaws.com/k", "s3")
                    .body("data"), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("AP alias as copy source", signed("PUT", "https://corp-data.s3.us-east-1.amazonaws.com/k", "s3")
                    .header("x-amz-copy-source", "/" + FOREIGN_AP + "/secret"), Reason.AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED),
            arguments("a bucket that merely contains s3alias", signed("PUT", "https://s3.us-east-1.amazonaws.com/my-s3alias-logs/k",
                    "s3").body("data"), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("foreign access point ARN in copy source", signed("PUT", "https://corp-data.s3.us-east-1.amazonaws.com/k", "s3")
                    .header("X-Amz-Copy-Source", "arn:aws:s3:us-east-1:999988887777:accesspoint/ap/object/k"),
                    Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("foreign access point ARN, encoded", signed("PUT", "https://corp-data.s3.us-east-1.amazonaws.com/k", "s3")
                    .header("x-amz-copy-source", "arn%3Aaws%3As3%3Aus-east-1%3A999988887777%3Aaccesspoint%2Fap%2Fobject%2Fk"),
                    Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("foreign access point host (ARN turned host)", signed("PUT",
                    "https://ap-999988887777.s3-accesspoint.us-east-1.amazonaws.com/k", "s3").body("d"),
                    Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("foreign MRAP ARN in an S3 Control body", signed("POST",
                    "https://111122223333.s3-control.us-west-2.amazonaws.com/v20180820/mrap/instances/"
                    + "arn:aws:s3::999988887777:accesspoint/x7k2m9q3wz8fp.mrap/routes", "s3")
                    .header("Content-Type", "application/xml").body("<Routes/>"),
                    Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED),
            arguments("company MRAP ARN in an S3 Control path", signed("GET",
                    "https://111122223333.s3-control.us-west-2.amazonaws.com/v20180820/mrap/instances/"
                    + "arn:aws:s3::111122223333:accesspoint/mfzwi23gnjvgw.mrap/routes", "s3"), Reason.AWS_ACCOUNT_ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aliases")
    void aliasHostsAreListedOrDenied(String name, Req req, Reason expected) {
        assertReason(Ask.request(engine(), req.facts()), expected);
    }

    static Req assumeRole(String form) {
        return signed("POST", "https://sts.amazonaws.com/", "sts").header("Content-Type", FORM).body(form);
    }

    static String enc(String s) {
        return s.replace(":", "%3A").replace("/", "%2F");
    }

    static Stream<Arguments> mfa() {
        String base = "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s&RoleArn=";
        return Stream.of(
            arguments("listed role without MFA", assumeRole(base + enc(MFA_ROLE)), Reason.AWS_MFA_REQUIRED),
            arguments("listed role with MFA", assumeRole(base + enc(MFA_ROLE)
                    + "&SerialNumber=arn%3Aaws%3Aiam%3A%3A111122223333%3Amfa%2Fu&TokenCode=123456"), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("listed role, serial only", assumeRole(base + enc(MFA_ROLE) + "&SerialNumber=x"), Reason.AWS_MFA_REQUIRED),
            arguments("listed role, empty token", assumeRole(base + enc(MFA_ROLE) + "&SerialNumber=x&TokenCode="),
                    Reason.AWS_MFA_REQUIRED),
            arguments("listed role, MFA names in the wrong case", assumeRole(base + enc(MFA_ROLE)
                    + "&serialnumber=x&tokencode=123456"), Reason.AWS_MFA_REQUIRED),
            arguments("listed role, unencoded ARN", assumeRole(base + MFA_ROLE), Reason.AWS_MFA_REQUIRED),
            arguments("listed role, parameter name in lower case", assumeRole(
                    "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s&rolearn=" + enc(MFA_ROLE)), Reason.AWS_MFA_REQUIRED),
            arguments("listed role, name percent-encoded", assumeRole(
                    "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s&Role%41rn=" + enc(MFA_ROLE)), Reason.AWS_MFA_REQUIRED),
            arguments("duplicate RoleArn, listed one second", assumeRole(base + enc(PLAIN_ROLE) + "&RoleArn=" + enc(MFA_ROLE)),
                    Reason.AWS_MFA_REQUIRED),
            arguments("duplicate Action", assumeRole("Action=GetCallerIdentity&Action=AssumeRole&RoleSessionName=s&RoleArn="
                    + enc(MFA_ROLE)), Reason.AWS_MFA_REQUIRED),
            arguments("RoleArn with a bad escape (the AWS inspector refuses the form first)", assumeRole(base + "arn%ZZ"),
                    Reason.BODY_MALFORMED),
            arguments("role in the query string", signed("POST", "https://sts.amazonaws.com/?Action=AssumeRole&RoleSessionName=s"
                    + "&RoleArn=" + enc(MFA_ROLE), "sts"), Reason.AWS_MFA_REQUIRED),
            arguments("role in the query, MFA in the body", signed("POST", "https://sts.amazonaws.com/?Action=AssumeRole"
                    + "&RoleSessionName=s&RoleArn=" + enc(MFA_ROLE), "sts").header("Content-Type", FORM)
                    .body("SerialNumber=x&TokenCode=123456"), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("regional STS host", signed("POST", "https://sts.ap-northeast-1.amazonaws.com/", "sts")
                    .header("content-type", FORM).body(base + enc(MFA_ROLE)), Reason.AWS_MFA_REQUIRED),
            arguments("role not listed", assumeRole(base + enc(PLAIN_ROLE)), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("other STS call", assumeRole("Action=GetCallerIdentity&Version=2011-06-15"), Reason.AWS_ACCOUNT_ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mfa")
    void assumeRoleOfListedRolesNeedsMfa(String name, Req req, Reason expected) {
        assertReason(Ask.request(engine(), req.facts()), expected);
    }

    static Req startSession(String targetHeader, String body) {
        return signed("POST", SSM, "ssm").header(targetHeader, START).header("Content-Type", JSON).body(body);
    }

    static Stream<Arguments> sessions() {
        String fwd = "\"DocumentName\":\"AWS-StartPortForwardingSession\"";
        String remote = "\"DocumentName\":\"AWS-StartPortForwardingSessionToRemoteHost\"";
        return Stream.of(
            arguments("port forwarding to a listed target", startSession("X-Amz-Target",
                    "{\"Target\":\"i-0abc1234\"," + fwd + ",\"Parameters\":{\"portNumber\":[\"22\"]}}"), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("no DocumentName is the shell", startSession("X-Amz-Target", "{\"Target\":\"i-0abc1234\"}"),
                    Reason.AWS_SESSION_DOCUMENT_NOT_ALLOWED),
            arguments("header name in lower case", startSession("x-amz-target",
                    "{\"Target\":\"i-0abc1234\",\"DocumentName\":\"AWS-StartInteractiveCommand\"}"),
                    Reason.AWS_SESSION_DOCUMENT_NOT_ALLOWED),
            arguments("target value in another case", signed("POST", SSM, "ssm").header("X-Amz-Target", "amazonssm.startsession")
                    .header("Content-Type", JSON).body("{\"Target\":\"i-0abc1234\"}"), Reason.AWS_SESSION_DOCUMENT_NOT_ALLOWED),
            arguments("document escaped in JSON", startSession("X-Amz-Target",
                    "{\"Target\":\"i-0abc1234\",\"DocumentName\":\"AWS-StartPortForwardingSessio\\u006e\"}"),
                    Reason.AWS_ACCOUNT_ALLOWED),
            arguments("duplicate DocumentName", startSession("X-Amz-Target",
                    "{\"Target\":\"i-0abc1234\"," + fwd + ",\"DocumentName\":\"SSM-SessionManagerRunShell\"}"),
                    Reason.BODY_MALFORMED),
            arguments("target not listed", startSession("X-Amz-Target", "{\"Target\":\"i-0fff0000\"," + fwd + "}"),
                    Reason.AWS_SESSION_TARGET_NOT_ALLOWED),
            arguments("managed node listed", startSession("X-Amz-Target", "{\"Target\":\"mi-0123456789abcdef0\"," + fwd + "}"),
                    Reason.AWS_ACCOUNT_ALLOWED),
            arguments("remote host listed", startSession("X-Amz-Target", "{\"Target\":\"i-0abc1\"," + remote
                    + ",\"Parameters\":{\"host\":[\"db.corp.internal\"],\"portNumber\":[\"5432\"],\"localPortNumber\":[\"5432\"]}}"),
                    Reason.AWS_ACCOUNT_ALLOWED),
            arguments("remote host in another case", startSession("X-Amz-Target", "{\"Target\":\"i-0abc1\"," + remote
                    + ",\"Parameters\":{\"host\":[\"DB.Corp.Internal\"]}}"), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("remote host by address glob", startSession("X-Amz-Target", "{\"Target\":\"i-0abc1\"," + remote
                    + ",\"Parameters\":{\"host\":[\"10.0.3.7\"]}}"), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("remote host not listed", startSession("X-Amz-Target", "{\"Target\":\"i-0abc1\"," + remote
                    + ",\"Parameters\":{\"host\":[\"203.0.113.9\"],\"portNumber\":[\"22\"]}}"),
                    Reason.AWS_SESSION_REMOTE_HOST_NOT_ALLOWED),
            arguments("second host value not listed", startSession("X-Amz-Target", "{\"Target\":\"i-0abc1\"," + remote
                    + ",\"Parameters\":{\"host\":[\"db.corp.internal\",\"evil.example\"]}}"),
                    Reason.AWS_SESSION_REMOTE_HOST_NOT_ALLOWED),
            arguments("host key in another case", startSession("X-Amz-Target", "{\"Target\":\"i-0abc1\"," + remote
                    + ",\"Parameters\":{\"Host\":[\"evil.example\"]}}"), Reason.AWS_SESSION_REMOTE_HOST_NOT_ALLOWED),
            arguments("remote document without host", startSession("X-Amz-Target", "{\"Target\":\"i-0abc1\"," + remote
                    + ",\"Parameters\":{\"portNumber\":[\"22\"]}}"), Reason.AWS_SESSION_REMOTE_HOST_NOT_ALLOWED),
            arguments("host escaped in JSON", startSession("X-Amz-Target", "{\"Target\":\"i-0abc1\"," + remote
                    + ",\"Parameters\":{\"host\":[\"evil\\u002eexample\"]}}"), Reason.AWS_SESSION_REMOTE_HOST_NOT_ALLOWED),
            arguments("not JSON", startSession("X-Amz-Target", "Target=i-0abc1"), Reason.BODY_MALFORMED),
            arguments("Target not a string", startSession("X-Amz-Target", "{\"Target\":[\"i-0abc1\"]," + fwd + "}"),
                    Reason.BODY_MALFORMED),
            arguments("a content coding that cannot be undone", startSession("X-Amz-Target", "{}")
                    .header("Content-Encoding", "br"), Reason.BODY_ENCODING_UNSUPPORTED),
            arguments("other SSM call", signed("POST", SSM, "ssm").header("X-Amz-Target", "AmazonSSM.GetParameter")
                    .header("Content-Type", JSON).body("{\"Name\":\"/x\"}"), Reason.AWS_ACCOUNT_ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sessions")
    void startSessionIsLimited(String name, Req req, Reason expected) {
        assertReason(Ask.request(engine(), req.facts()), expected);
    }

    static Stream<Arguments> duplicateTargets() {
        List<Arguments> out = new ArrayList<>();
        out.add(arguments(List.of("AmazonSSM.GetParameter", START)));
        out.add(arguments(List.of(START, "AmazonSSM.GetParameter")));
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("duplicateTargets")
    void anyStartSessionTargetHeaderCounts(List<String> targets) {
        Req r = signed("POST", SSM, "ssm").header("Content-Type", JSON);
        for (String t : targets) {
            r.header("X-Amz-Target", t);
        }
        Decision d = Ask.request(engine(), r.body("{\"Target\":\"i-0abc1\"}").facts());
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
    }

    static void assertReason(Decision d, Reason expected) {
        assertThat(d.reason()).as(d.rule()).isEqualTo(expected);
        assertThat(d.verdict()).isEqualTo(expected.verdict());
    }
}
