package io.sekisho.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md must keep up with the schema the walkers accept. */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void everySchemaKeyIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        List<String> keys = new ArrayList<>();
        keys.addAll(ConfigWalker.KEYS);
        keys.addAll(ConfigWalker.TIMEOUT_KEYS);
        keys.addAll(ConfigWalker.LIMIT_KEYS);
        keys.addAll(UpstreamWalker.KEYS);
        keys.addAll(UpstreamWalker.POOL_KEYS);
        keys.addAll(TlsWalker.KEYS);
        keys.addAll(TlsWalker.CA_KEYS);
        keys.addAll(TlsWalker.LEAF_KEYS);
        keys.addAll(AwsWalker.KEYS);
        keys.addAll(AwsWalker.ACCOUNT_KEYS);
        keys.addAll(AwsWalker.RESOLVER_KEYS);
        keys.addAll(ControlsWalker.SSM_KEYS);
        keys.addAll(ControlsWalker.SESSION_KEYS);
        keys.addAll(List.of("accessPoints", "multiRegionAccessPoints", "mfaRequired"));
        keys.addAll(AuditWalker.KEYS);
        keys.addAll(AuditWalker.ACCESS_KEYS);
        keys.addAll(AuditWalker.ROTATE_KEYS);
        keys.addAll(ClusterWalker.KEYS);
        keys.addAll(AccessWalker.CLIENT_KEYS);
        keys.addAll(AccessWalker.AUTH_KEYS);
        keys.addAll(AccessWalker.BASIC_KEYS);
        keys.addAll(AccessWalker.CACHE_KEYS);
        keys.addAll(AccessWalker.LDAP_KEYS);
        keys.addAll(AwsWalker.STS_KEYS);
        keys.addAll(PoliciesWalker.ENTRY_KEYS);
        keys.addAll(PoliciesWalker.MATCH_KEYS);
        keys.addAll(PoliciesWalker.AWS_KEYS);
        keys.addAll(List.of("file", "allow", "deny", "connect", "http", "maxBodyBytes", "anonymousRead",
                "buckets", "startUrls", "root", "contact", "env"));
        for (String key : keys) {
            // As `key` or as part of a dotted path such as `aws.accounts.allow`.
            Pattern written = Pattern.compile("`([\\w.]*\\.)?" + Pattern.quote(key) + "(\\.[\\w.]*)?`");
            assertThat(written.matcher(doc).find()).as("docs/configuration.md mentions `" + key + "`").isTrue();
        }
    }

    @Test
    void builtInDefaultIsQuotedVerbatim() throws Exception {
        assertThat(Files.readString(DOC)).contains("```yaml\n" + ConfigLoader.BUILT_IN_DEFAULT_YAML + "```");
    }

    @Test
    void sampleCheckOutputIsWhatTheLoaderPrints() throws Exception {
        Path bad = GoldenDiagnosticsTest.resourceDir("bad").resolve("several-errors.yaml");
        String report = ConfigReport.format(ConfigLoader.load(bad))
                .replace(bad.toString(), "sekisho.yaml");

        assertThat(Files.readString(DOC)).contains("```\n" + report + "\n```");
    }
}
