package io.sekisho.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The image's HEALTHCHECK asks {@code sekisho probe} with its default admin address; the config
 * baked into the image must load and serve the admin listener where the probe looks.
 */
class ContainerHealthcheckTest {
    @Test
    void theImageConfigServesReadyzWhereTheHealthcheckProbes() throws Exception {
        LoadResult r = ConfigLoader.load(Path.of("..", "docker", "sekisho.yaml"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().adminListen()).isNotNull();
        assertThat(r.config().adminListen().port()).isEqualTo(9128);

        String dockerfile = Files.readString(Path.of("..", "docker", "Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK .*\\\\\\n\\s+CMD \\[\"java\"")
                .contains("\"io.sekisho.proxy.cli.Main\", \"probe\"]").contains("EXPOSE 3128 9128");
    }
}
