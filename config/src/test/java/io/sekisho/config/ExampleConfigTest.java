package io.sekisho.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/sekisho.yaml must stay a config the loader accepts without a warning. It names CA
 * files relative to itself, so the test places it in a directory where they exist.
 */
class ExampleConfigTest {
    /** Maven runs tests in the module directory; the example sits at the repository top. */
    private static final Path EXAMPLE = Path.of("..", "examples", "sekisho.yaml");

    @TempDir
    Path etc;

    @Test
    void exampleLoadsWithoutProblems() throws Exception {
        Path config = etc.resolve("sekisho.yaml");
        Files.copy(EXAMPLE, config);
        Files.createDirectories(etc.resolve("ca"));
        for (String f : List.of("proxy-ca.pem", "proxy-ca.key", "corp-root.pem")) {
            Files.writeString(etc.resolve("ca").resolve(f), "placeholder");
        }

        LoadResult r = ConfigLoader.load(config);

        assertThat(r.problems()).isEmpty();
        // docs/configuration.md quotes this line.
        assertThat(ConfigReport.summary(r)).isEqualTo("config OK: 9 allow rules, 3 deny rules, 0 warnings");
        SekishoConfig c = r.config();
        assertThat(c.policy().mode()).isEqualTo(Mode.REPORT);
        assertThat(c.policy().aws().accounts()).extracting(a -> a.id())
                .containsExactly("111122223333", "444455556666", "777788889999");
        assertThat(c.policy().aws().identityCenterStartUrls()).containsExactly("https://examplebank.awsapps.com/start");
        assertThat(c.policy().interceptConfigured()).isFalse();
        assertThat(c.upstream().resolve()).hasSize(3);
        assertThat(c.upstream().parent()).isNull();
        assertThat(c.tls().caPrivateKey()).isEqualTo(etc.resolve("ca/proxy-ca.key"));
        assertThat(c.tls().password().env()).isEqualTo("SEKISHO_CA_PASSWORD");
    }
}
