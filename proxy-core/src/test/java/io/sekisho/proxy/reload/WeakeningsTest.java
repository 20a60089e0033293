package io.sekisho.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which edits of a bank's configuration count as weakenings, as a table (docs/deployment.md, Reloading). */
class WeakeningsTest {
    private static final String BASE = """
            version: 1
            mode: enforce
            domains:
              allow: [.amazonaws.com, intranet.example]
              deny: [evil.amazonaws.com]
            ports: {connect: [443], http: [80]}
            upstream:
              resolve: {sts.amazonaws.com: "10.0.0.5:443"}
            timeouts: {requestBody: 1h}
            tls:
              ca: {certificate: ca.pem, privateKey: ca.key}
              intercept: [.amazonaws.com]
            aws:
              accounts:
                allow: ["111122223333", {id: "444455556666", aliases: [corp-prod]}]
              keys: {AKIAIOSFODNN7EXAMPLE: "111122223333"}
              s3: {anonymousRead: [public-*], buckets: {allow: [corp-*]}}
              identityCenter: {startUrls: ["https://corp.awsapps.com/start"]}
              signin: {root: {allow: [root@corp.example]}}
              sts: {assumeRole: {mfaRequired: ["arn:aws:iam::111122223333:role/prod-*"]}}
              ssm: {startSession: {documents: [AWS-StartSSHSession]}}
            """;

    @TempDir
    static Path dir;

    static Stream<Arguments> edits() {
        return Stream.of(
                row("the same file", t -> t, List.of()),
                row("cut before aws:", t -> t.substring(0, t.indexOf("aws:")),
                        List.of("aws.accounts.allow: empty, AWS account checks are off",
                                "aws.s3.buckets.allow: empty, any bucket may be named",
                                "aws.sts.assumeRole.mfaRequired: drops arn:aws:iam::111122223333:role/prod-*",
                                "aws.ssm.startSession.documents: empty, no limit")),
                row("cut before tls:", t -> t.substring(0, t.indexOf("tls:")),
                        List.of("tls: removed, nothing is intercepted and no AWS account check can run",
                                "aws.accounts.allow: empty, AWS account checks are off",
                                "aws.s3.buckets.allow: empty, any bucket may be named",
                                "aws.sts.assumeRole.mfaRequired: drops arn:aws:iam::111122223333:role/prod-*",
                                "aws.ssm.startSession.documents: empty, no limit")),
                row("report mode", t -> t.replace("mode: enforce", "mode: report"),
                        List.of("mode: enforce -> report, nothing is blocked")),
                row("a policies entry added", t -> t + "policies:\n  - name: ops\n    match: {groups: [ops]}\n"
                        + "    mode: report\n", List.of("policies: changed, a group may get wider access or another mode")),
                row("a role session name rule added", t -> t.replace("sts: {assumeRole:", "sts: {roleSessionName: \"{user}\", assumeRole:"),
                        List.of()),
                row("an account added",
                        t -> t.replace("allow: [\"111122223333\",", "allow: [\"999988887777\", \"111122223333\","),
                        List.of("aws.accounts.allow: adds 999988887777")),
                row("an account removed", t -> t.replace("\"111122223333\", {id", "{id"), List.of()),
                row("an alias added", t -> t.replace("[corp-prod]", "[corp-prod, partner-x]"),
                        List.of("aws.accounts.allow aliases: adds partner-x")),
                row("a domain allowed", t -> t.replace("intranet.example]", "intranet.example, .example.net]"),
                        List.of("domains.allow: adds .example.net")),
                row("a domain no longer allowed", t -> t.replace(", intranet.example]", "]"), List.of()),
                row("a deny entry dropped", t -> t.replace("deny: [evil.amazonaws.com]", "deny: []"),
                        List.of("domains.deny: drops evil.amazonaws.com")),
                row("a deny entry added",
                        t -> t.replace("deny: [evil.amazonaws.com]", "deny: [evil.amazonaws.com, x.test]"), List.of()),
                row("a CONNECT port added", t -> t.replace("connect: [443]", "connect: [443, 8443]"),
                        List.of("ports.connect: adds 8443")),
                row("an intercepted host dropped", t -> t.replace("intercept: [.amazonaws.com]", "intercept: []"),
                        List.of("tls.intercept: drops .amazonaws.com")),
                row("unresolvable keys allowed", t -> t.replace("  keys:", "  unresolvableKeys: allow\n  keys:"),
                        List.of("aws.unresolvableKeys: deny -> allow")),
                row("a key mapped elsewhere",
                        t -> t.replace("EXAMPLE: \"111122223333\"", "EXAMPLE: \"444455556666\""),
                        List.of("aws.keys: 1 mapping(s) added or changed")),
                row("bucket restriction emptied", t -> t.replace(", buckets: {allow: [corp-*]}", ""),
                        List.of("aws.s3.buckets.allow: empty, any bucket may be named")),
                row("a root sign-in added",
                        t -> t.replace("[root@corp.example]", "[root@corp.example, me@home.example]"),
                        List.of("aws.signin.root.allow: 1 address(es) added")),
                row("an access point alias listed", t -> t.replace("buckets: {allow: [corp-*]}",
                        "buckets: {allow: [corp-*]}, accessPoints: {allow: [their-ap-s3alias]}"),
                        List.of("aws.s3.accessPoints.allow: adds their-ap-s3alias")),
                row("an MFA role dropped", t -> t.replace("mfaRequired: [\"arn:aws:iam::111122223333:role/prod-*\"]",
                        "mfaRequired: []"), List.of("aws.sts.assumeRole.mfaRequired: drops arn:aws:iam::111122223333:role/prod-*")),
                row("a session document added", t -> t.replace("[AWS-StartSSHSession]",
                        "[AWS-StartSSHSession, SSM-SessionManagerRunShell]"),
                        List.of("aws.ssm.startSession.documents: adds SSM-SessionManagerRunShell")),
                row("an upstream retargeted", t -> t.replace("10.0.0.5:443", "10.0.0.6:443"),
                        List.of("upstream.resolve: adds or changes sts.amazonaws.com")),
                row("a parent proxy added",
                        t -> t.replace("upstream:\n", "upstream:\n  parent: \"proxy.corp.example:8080\"\n"),
                        List.of("upstream.parent: null -> proxy.corp.example:8080")),
                row("a longer body timeout", t -> t.replace("requestBody: 1h", "requestBody: 1d"), List.of()));
    }

    private static Arguments row(String name, UnaryOperator<String> edit, List<String> expected) {
        return Arguments.of(name, edit, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void weakeningsAreTheChangesThatLetMoreThrough(String name, UnaryOperator<String> edit, List<String> expected)
            throws IOException {
        Files.writeString(dir.resolve("ca.pem"), "checked at start, not by the loader");
        Files.writeString(dir.resolve("ca.key"), "checked at start, not by the loader");

        assertThat(Weakenings.of(load(BASE), load(edit.apply(BASE)))).isEqualTo(expected);
    }

    private static SekishoConfig load(String yaml) {
        LoadResult r = ConfigLoader.parse(yaml, dir.resolve("sekisho.yaml").toString());
        assertThat(r.errors()).as(yaml).isEmpty();
        return r.config();
    }
}
