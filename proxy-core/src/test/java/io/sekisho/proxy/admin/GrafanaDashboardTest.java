package io.sekisho.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sekisho.proxy.reload.ConfigReloader;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 point 8: docs/grafana/sekisho.json parses as a Grafana dashboard, and every metric
 * its queries name is in a real scrape of a proxy that has served traffic, so that the dashboard
 * cannot drift from the names the code exposes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "sekisho.json");
    private static final Pattern METRIC = Pattern.compile("\\bsekisho_[a-z_]+\\b");

    @Test
    void everyMetricTheDashboardNamesIsInARealScrape() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.path("title").asText()).isEqualTo("Sekisho");
        Set<String> named = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    named.add(m.group());
                }
            }
        }
        Matcher m = METRIC.matcher(dashboard.path("templating").toString());
        while (m.find()) {
            named.add(m.group());
        }
        assertThat(named).hasSizeGreaterThan(10);

        try (RecordingOrigin origin = new RecordingOrigin();
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder().resolve(".test", origin.port()).build(),
                        TestPolicy.allowing("origin.test"));
                AdminScrape admin = AdminScrape.of(proxy.server())) {
            proxy.server().services().metrics().reloads().loaded(ConfigReloader.sha256Of(DASHBOARD), 0, false);
            assertThat(Curl.viaProxy(proxy.url(), "http://origin.test/").status()).isEqualTo(200);
            assertThat(Curl.viaProxy(proxy.url(), "http://elsewhere.test/").status()).isEqualTo(403);
            proxy.audit().await("GET", "elsewhere.test");

            Set<String> scraped = sampleNames(admin.metrics());
            assertThat(named).allSatisfy(name -> assertThat(scraped).as("a sample named " + name).contains(name));
        }
    }

    private static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(exposition);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
