package io.sekisho.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.EchoServer;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache of names in front of DNS, through the proxy with the real policy: a name is looked up
 * once, its remembered addresses are checked on every use as fresh ones are, and a reload that
 * routes the name elsewhere wins over what was remembered.
 */
class CachedNamesTest {
    private EchoServer echo;
    private final FakeResolver dns = new FakeResolver();

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer();
        dns.map("cached.test", InetAddress.getByName("127.0.0.1"));
        dns.map("inside.test", InetAddress.getByName("10.0.0.5"));
    }

    @AfterEach
    void stop() {
        echo.close();
    }

    /** cached.test and inside.test allowed by name; of the private ranges only 127.0.0.1/32. */
    private SekishoConfig config(String resolve) {
        LoadResult r = ConfigLoader.parse(""
                + "version: 1\n"
                + "listen: \"127.0.0.1:0\"\n"
                + "mode: enforce\n"
                + "audit: {file: \"-\"}\n"
                + "domains: {allow: [cached.test, inside.test, 127.0.0.1/32]}\n"
                + "ports: {connect: [" + echo.port() + "]}\n"
                + resolve, "cached-names.yaml");
        assertThat(r.errors()).isEmpty();
        return java.util.Objects.requireNonNull(r.config());
    }

    private String connect(ProxyFixture proxy, String host) throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            String head = c.send("CONNECT " + host + ":" + echo.port() + " HTTP/1.1\r\n\r\n").readHead();
            if (head.startsWith("HTTP/1.1 200")) {
                c.send("ping");
                assertThat(new String(c.readExactly(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
            }
            return head;
        }
    }

    @Test
    void aNameIsLookedUpOnceForTwoTunnels() throws Exception {
        SekishoConfig c = config("");
        try (ProxyFixture proxy = ProxyFixture.startWithNameCache(c, Wiring.DEFAULT.policyFor(c), dns)) {
            assertThat(connect(proxy, "cached.test")).startsWith("HTTP/1.1 200");
            assertThat(connect(proxy, "cached.test")).startsWith("HTTP/1.1 200");
            assertThat(dns.lookups()).containsExactly("cached.test");
            assertThat(echo.connections()).isEqualTo(2);
            String scrape = proxy.server().services().metrics().scrape();
            assertThat(scrape).containsPattern("(?m)^sekisho_dns_cache_misses_total 1\\.0$")
                    .containsPattern("(?m)^sekisho_dns_cache_hits_total 1\\.0$");
        }
    }

    @Test
    void aRememberedPrivateAddressIsDeniedEveryTime() throws Exception {
        SekishoConfig c = config("");
        try (ProxyFixture proxy = ProxyFixture.startWithNameCache(c, Wiring.DEFAULT.policyFor(c), dns)) {
            assertThat(connect(proxy, "inside.test")).startsWith("HTTP/1.1 403")
                    .contains("X-Sekisho-Reason: PRIVATE_ADDRESS");
            assertThat(connect(proxy, "inside.test")).startsWith("HTTP/1.1 403")
                    .contains("X-Sekisho-Reason: PRIVATE_ADDRESS");
            assertThat(dns.lookups()).containsExactly("inside.test");
            assertThat(echo.connections()).isZero();
        }
    }

    @Test
    void aReloadedOverrideWinsOverARememberedAnswer() throws Exception {
        SekishoConfig before = config("");
        try (ProxyFixture proxy = ProxyFixture.startWithNameCache(before, Wiring.DEFAULT.policyFor(before), dns)) {
            assertThat(connect(proxy, "inside.test")).contains("X-Sekisho-Reason: PRIVATE_ADDRESS");

            SekishoConfig after = config("upstream: {resolve: {inside.test: \"127.0.0.1:" + echo.port() + "\"}}\n");
            proxy.server().reload(after, Wiring.DEFAULT.policyFor(after));
            assertThat(connect(proxy, "inside.test")).startsWith("HTTP/1.1 200");
            assertThat(echo.connections()).isEqualTo(1);
            assertThat(dns.lookups()).containsExactly("inside.test");
        }
    }
}
