package io.sekisho.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.PolicyEngine;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import io.sekisho.proxy.pac.PacFile;
import io.sekisho.proxy.testing.ProxyFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 point 4: the admin listener serves {@code /proxy.pac}, generated from the
 * configuration in force, over a real socket; a reload changes what it serves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyPacEndpointTest {
    @TempDir
    Path tmp;

    @Test
    void servesThePacOfTheConfigurationInForceAndFollowsReloads() throws Exception {
        SekishoConfig first = load("[.intranet.bank.example]");
        ProxyFixture proxy = ProxyFixture.start(first, policy(first));
        try (AdminScrape admin = AdminScrape.of(proxy.server())) {
            HttpResponse<String> pac = admin.get("/proxy.pac");
            assertThat(pac.statusCode()).isEqualTo(200);
            assertThat(pac.headers().firstValue("content-type")).hasValue(PacFile.CONTENT_TYPE);
            assertThat(directRules(pac.body())).contains("intranet.bank.example");
            assertThat(pac.body()).isEqualTo(PacFile.of(first, "127.0.0.1:" + proxy.port()).text())
                    .contains("var PROXY = \"PROXY 127.0.0.1:" + proxy.port() + "\";")
                    .contains("intranet.bank.example");

            SekishoConfig second = load("[.wiki.bank.example]");
            proxy.server().reload(second, policy(second));

            String after = admin.get("/proxy.pac").body();
            assertThat(after).isEqualTo(PacFile.of(second, "127.0.0.1:" + proxy.port()).text());
            assertThat(directRules(after)).contains("wiki.bank.example").doesNotContain("intranet.bank.example");
            assertThat(admin.send("HEAD", "/proxy.pac").statusCode()).isEqualTo(200);
        } finally {
            proxy.close();
        }
    }

    @Test
    void aWildcardListenNamesTheHostTheClientAskedBy() {
        assertThat(AdminServer.pacProxy("127.0.0.1", 3128, "ignored.example")).isEqualTo("127.0.0.1:3128");
        assertThat(AdminServer.pacProxy("0.0.0.0", 3128, "proxy.bank.example:9128")).isEqualTo("proxy.bank.example:3128");
        assertThat(AdminServer.pacProxy("::", 3128, "[fd00::1]:9128")).isEqualTo("[fd00::1]:3128");
        assertThat(AdminServer.pacProxy("0.0.0.0", 3128, "proxy.bank.example")).isEqualTo("proxy.bank.example:3128");
        assertThat(AdminServer.pacProxy("0.0.0.0", 3128, null)).isEqualTo("127.0.0.1:3128");
    }

    private static String directRules(String pac) {
        return pac.substring(pac.indexOf("var DIRECT_RULES"), pac.indexOf("var PROXY_RULES"));
    }

    private SekishoConfig load(String direct) throws Exception {
        Path file = Files.writeString(tmp.resolve("sekisho.yaml"), "version: 1\nlisten: \"127.0.0.1:0\"\n"
                + "domains:\n  allow: [.amazonaws.com, api.intranet.bank.example]\npac:\n  direct: " + direct + "\n");
        LoadResult r = ConfigLoader.load(file);
        assertThat(r.errors()).isEmpty();
        return r.config();
    }

    private static PolicyEngine policy(SekishoConfig c) {
        return StandardPolicy.create(c.policy(), KeyLookup.NONE, new InMemorySigninTokenStore(), Clock.systemUTC());
    }
}
