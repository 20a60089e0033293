package io.sekisho.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.config.SekishoConfig.KeyInfoResolver;
import io.sekisho.config.SekishoConfig.Limits;
import io.sekisho.config.SekishoConfig.Secret;
import io.sekisho.config.SekishoConfig.Timeouts;
import io.sekisho.policy.AwsControls;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.AwsSettings.AccountEntry;
import io.sekisho.policy.Mode;
import io.sekisho.policy.PolicyEntry;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.domain.DomainPattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Configs that load, checked field by field against the records they must produce. */
class GoodConfigTest {
    private static final Path GOOD = dir("good");
    private static final Path FILES = dir("files");

    @Test
    void minimalConfigTakesEveryDocumentedDefault() {
        SekishoConfig c = loadOk(GOOD.resolve("minimal.yaml"));

        assertThat(c.source()).isEqualTo(GOOD.resolve("minimal.yaml"));
        assertThat(c.listen()).isEqualTo(new HostPort("127.0.0.1", 3128));
        assertThat(c.auditFile()).isEqualTo("-");
        assertThat(c.policy()).isEqualTo(new PolicySettings(Mode.ENFORCE, List.of(), List.of(), Set.of(443),
                Set.of(80), List.of(), true, 65_536, AwsSettings.NONE));
        assertThat(c.upstream().resolve()).isEmpty();
        assertThat(c.upstream().parent()).isNull();
        assertThat(c.upstream().trustedCertificates()).isEmpty();
        assertThat(c.upstream().maxConnectionsPerHost()).isEqualTo(64);
        assertThat(c.upstream().poolIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofHours(1)));
        assertThat(c.limits()).isEqualTo(new Limits(65_536, 128, 8_192, 10_000, 1_000, 64 * 1024 * 1024, 1_024,
                Duration.ofSeconds(10)));
        assertThat(c.tls()).isNull();
        assertThat(c.keyInfoResolver()).isNull();
        assertThat(c.blockPageContact()).isEmpty();
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void fullConfigSetsEveryKey() {
        SekishoConfig c = loadOk(GOOD.resolve("full.yaml"));

        assertThat(c.listen()).isEqualTo(new HostPort("::1", 8080));
        assertThat(c.auditFile()).isEqualTo(GOOD.resolve("audit.log").toString());
        PolicySettings p = c.policy();
        assertThat(p.mode()).isEqualTo(Mode.REPORT);
        assertThat(canonical(p.allow()))
                .containsExactly(".amazonaws.com", "*.awsapps.com", "signin.aws.amazon.com", "10.0.0.0/8");
        assertThat(canonical(p.deny())).containsExactly("evil.amazonaws.com");
        assertThat(p.connectPorts()).containsExactlyInAnyOrder(443, 8443);
        assertThat(p.httpPorts()).containsExactlyInAnyOrder(80, 8080);
        assertThat(canonical(p.intercept())).containsExactly(".amazonaws.com", ".aws.amazon.com");
        assertThat(p.interceptConfigured()).isTrue();
        assertThat(p.inspectBodyBytes()).isEqualTo(1_048_576);

        assertThat(c.upstream().resolve()).hasSize(2);
        assertThat(c.upstream().resolve().get(0).pattern().canonical()).isEqualTo(".sts.amazonaws.com");
        assertThat(c.upstream().resolve().get(0).target()).isEqualTo(new HostPort("10.0.12.7", 443));
        assertThat(c.upstream().resolve().get(1).pattern().canonical()).isEqualTo("s3.eu-central-1.amazonaws.com");
        assertThat(c.upstream().resolve().get(1).target()).isEqualTo(new HostPort("2001:db8::5", 443));
        assertThat(c.upstream().parent()).isEqualTo(new HostPort("proxy.corp.example", 8080));
        assertThat(c.upstream().trustedCertificates()).containsExactly(FILES.resolve("corp-root.pem"));
        assertThat(c.upstream().maxConnectionsPerHost()).isEqualTo(16);
        assertThat(c.upstream().poolIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(7),
                Duration.ofSeconds(20), Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofMinutes(20)));
        assertThat(c.limits()).isEqualTo(new Limits(32_768, 64, 4_096, 2_000, 50, 8 * 1024 * 1024, 0,
                Duration.ofSeconds(30)));

        assertThat(c.tls()).isEqualTo(new SekishoConfig.Tls(FILES.resolve("ca.pem"), FILES.resolve("ca.key"), null,
                new Secret(null, FILES.resolve("ca-pass.txt")), "rsa-2048", Duration.ofDays(1), 500));
        assertThat(c.keyInfoResolver())
                .isEqualTo(new KeyInfoResolver("eu-central-1", Duration.ofMillis(500), Duration.ofHours(2)));
        assertThat(c.blockPageContact()).isEqualTo("IT security, +81 3 0000 0000");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void clusterNamesTheSharedStoreAndItsSecretsWhereTheyAre() {
        SekishoConfig.Cluster c = loadOk(GOOD.resolve("full.yaml")).cluster();

        assertThat(c).isNotNull();
        assertThat(c.store().toString()).isEqualTo("rediss://valkey.sekisho.svc:6380/1");
        assertThat(c.tokenKey()).isEqualTo(new SekishoConfig.Secret("SEKISHO_TOKEN_KEY", null));
        assertThat(c.username()).isEqualTo("sekisho");
        assertThat(c.password()).isEqualTo(new SekishoConfig.Secret("SEKISHO_STORE_PASSWORD", null));
        assertThat(loadOk(GOOD.resolve("minimal.yaml")).cluster()).as("in memory by default").isNull();
    }

    @Test
    void fullConfigAwsSectionIsNormalised() {
        AwsSettings aws = loadOk(GOOD.resolve("full.yaml")).policy().aws();

        assertThat(aws.accounts()).containsExactly(
                new AccountEntry("111122223333", "", List.of()),
                // Unquoted and 0-led: read as written, not as the YAML 1.1 octal number it resembles.
                new AccountEntry("012345678901", "", List.of()),
                new AccountEntry("444455556666", "prod", List.of("corp-prod")));
        assertThat(aws.staticKeys()).isEqualTo(Map.of("AKIAIOSFODNN7EXAMPLE", "111122223333"));
        assertThat(aws.unresolvableKeysAllow()).isFalse();
        assertThat(aws.s3AnonymousRead()).containsExactly("public-datasets-*");
        assertThat(aws.s3BucketsAllow()).containsExactly("corp-*", "corp-logs");
        assertThat(aws.identityCenterStartUrls()).containsExactly("https://corp-sso.awsapps.com/start");
        assertThat(aws.rootSigninAllow()).containsExactly("root@corp.example");
        assertThat(aws.controls()).isEqualTo(new AwsControls(
                List.of("corp-ap-hqfa5nbmsjv3rvxwpktbybc1sn5pusw2a-s3alias", "corp-*--ol-s3"), List.of("mfzwi23gnjvgw", "x7k2*"),
                List.of("arn:aws:iam::111122223333:role/prod-*"),
                List.of("AWS-StartPortForwardingSession", "AWS-StartSSHSession"), List.of("i-0abc*", "mi-*"),
                List.of("db.corp.internal", "10.0.*")));
    }

    @Test
    void tlsWithoutInterceptMeansTheBuiltInAwsClasses() {
        String yaml = "version: 1\ntls:\n  ca:\n    pkcs12: ../files/ca.p12\n"
                + "aws:\n  accounts:\n    allow: ['111122223333']\n";
        LoadResult r = ConfigLoader.parse(yaml, GOOD.resolve("inline.yaml").toString());

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().policy().interceptConfigured()).isFalse();
        assertThat(r.config().policy().intercept()).isEmpty();
        assertThat(r.config().tls()).isEqualTo(new SekishoConfig.Tls(null, null, FILES.resolve("ca.p12"), null,
                "ec-p256", Duration.ofDays(7), 10_000));
        assertThat(r.config().keyInfoResolver()).isNull();
    }

    @Test
    void keyInfoResolverKeysTakeTheirDefaultsOneByOne() {
        String yaml = "version: 1\ntls:\n  ca:\n    pkcs12: ../files/ca.p12\n"
                + "aws:\n  accounts:\n    allow: ['111122223333']\n  keyInfoResolver: {timeout: 1s}\n";
        LoadResult r = ConfigLoader.parse(yaml, GOOD.resolve("inline.yaml").toString());

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().keyInfoResolver())
                .isEqualTo(new KeyInfoResolver("us-east-1", Duration.ofSeconds(1), Duration.ofHours(1)));
    }

    @Test
    void builtInDefaultIsTheDocumentedOne() {
        SekishoConfig c = ConfigLoader.builtInDefault();

        assertThat(c.source()).isNull();
        assertThat(c.listen()).isEqualTo(new HostPort("127.0.0.1", 3128));
        assertThat(c.auditFile()).isEqualTo("-");
        assertThat(c.policy().mode()).isEqualTo(Mode.ENFORCE);
        assertThat(canonical(c.policy().allow())).containsExactly("example.com", ".example.org");
        assertThat(c.policy().deny()).isEmpty();
        assertThat(c.policy().intercept()).isEmpty();
        assertThat(c.policy().interceptConfigured()).isTrue();
        assertThat(c.tls()).isNull();
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void policiesReplaceOnlyTheKeysTheyName() {
        SekishoConfig c = loadOk(GOOD.resolve("policies.yaml"));

        assertThat(c.policy().aws().roleSessionName()).isEqualTo("corp-{user}");
        assertThat(c.policies()).extracting(PolicyEntry::name).containsExactly("contractors", "lab");
        PolicyEntry contractors = c.policies().get(0);
        assertThat(contractors.groups()).containsExactly("Contractors");
        assertThat(contractors.clients()).isEmpty();
        PolicySettings s = contractors.settings();
        assertThat(s.mode()).isEqualTo(Mode.REPORT);
        assertThat(canonical(s.allow())).containsExactly("docs.example.com");
        assertThat(canonical(s.deny())).containsExactly("bad.example.com");
        assertThat(s.aws().accounts()).extracting(AccountEntry::id).containsExactly("444455556666", "777788889999");
        assertThat(s.aws().s3BucketsAllow()).containsExactly("corp-*");
        assertThat(s.aws().roleSessionName()).isEqualTo("corp-{user}");

        PolicyEntry lab = c.policies().get(1);
        assertThat(canonical(lab.clients())).containsExactly("10.8.0.0/16", "fd00:8::/32");
        assertThat(lab.settings().mode()).isEqualTo(Mode.ENFORCE);
        assertThat(lab.settings().allow()).isEqualTo(c.policy().allow());
        assertThat(lab.settings().aws().accounts()).isEqualTo(c.policy().aws().accounts());
        assertThat(lab.settings().aws().s3BucketsAllow()).containsExactly("lab-*");
        assertThat(lab.settings().aws().identityCenterStartUrls()).containsExactly(
                "https://d-1234567890.awsapps.com/start");
        assertThat(c.policy().aws().identityCenterStartUrls()).isEmpty();
    }

    private static SekishoConfig loadOk(Path file) {
        LoadResult r = ConfigLoader.load(file);
        assertThat(r.errors()).as("errors loading " + file).isEmpty();
        assertThat(r.ok()).isTrue();
        return r.config();
    }

    private static List<String> canonical(List<DomainPattern> patterns) {
        return patterns.stream().map(DomainPattern::canonical).toList();
    }

    private static Path dir(String name) {
        try {
            return GoldenDiagnosticsTest.resourceDir(name);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
