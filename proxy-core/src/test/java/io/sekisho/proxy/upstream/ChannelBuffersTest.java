package io.sekisho.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.cli.Wiring;
import io.sekisho.proxy.testing.EchoServer;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Every channel takes its buffers from the transport's allocator, Netty's pooled one unless
 * {@code io.netty.allocator.type} names another: the proxy's client connections, its upstream
 * connections, and the allocator's memory on /metrics.
 */
class ChannelBuffersTest {

    @Test
    void thePooledAllocatorUnlessNettysPropertyNamesOne() {
        assertThat(System.getProperty("io.netty.allocator.type")).isNull();
        assertThat(Transport.best().allocator()).isSameAs(PooledByteBufAllocator.DEFAULT);
        assertThat(Transport.allocator(null)).isSameAs(PooledByteBufAllocator.DEFAULT);
        // With the property set, Netty's own choice (which reads it) is used.
        assertThat(Transport.allocator("adaptive")).isSameAs(ByteBufAllocator.DEFAULT);
        assertThat(ByteBufAllocator.DEFAULT).isNotSameAs(PooledByteBufAllocator.DEFAULT);
    }

    @Test
    void anUpstreamConnectionUsesTheTransportsAllocator() throws Exception {
        Transport t = Transport.best();
        MultiThreadIoEventLoopGroup group = t.newGroup(1);
        try (EchoServer echo = new EchoServer()) {
            Channel ch = new UpstreamConnector(t).connect(group.next(),
                    new InetSocketAddress("127.0.0.1", echo.port()), Duration.ofSeconds(5), Duration.ofSeconds(5),
                    c -> { }).sync().channel();
            assertThat(ch.alloc()).isSameAs(t.allocator());
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void theProxysClientConnectionsUseItAndMetricsShowItsMemory() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            LoadResult r = ConfigLoader.parse(""
                    + "version: 1\n"
                    + "listen: \"127.0.0.1:0\"\n"
                    + "mode: enforce\n"
                    + "audit: {file: \"-\"}\n"
                    + "domains: {allow: [127.0.0.1/32]}\n"
                    + "ports: {connect: [" + echo.port() + "]}\n", "buffers.yaml");
            assertThat(r.errors()).isEmpty();
            SekishoConfig c = Objects.requireNonNull(r.config());
            try (ProxyFixture proxy = ProxyFixture.start(c, Wiring.DEFAULT.policyFor(c));
                    RawClient client = new RawClient(proxy.port())) {
                assertThat(client.send("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\n\r\n").readHead())
                        .startsWith("HTTP/1.1 200");
                client.send("ping");
                assertThat(new String(client.readExactly(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
                List<Channel> open = StreamSupport.stream(
                        proxy.server().services().clientChannels().spliterator(), false).toList();
                assertThat(open).isNotEmpty().allSatisfy(ch -> assertThat(ch.alloc())
                        .isSameAs(PooledByteBufAllocator.DEFAULT));
                String scrape = proxy.server().services().metrics().scrape();
                // The tunnel's buffers came from a chunk of the pooled allocator's direct arenas.
                assertThat(scrape).containsPattern(
                        "(?m)^sekisho_buffer_memory_used_bytes\\{memory_type=\"direct\"} [1-9][0-9.E]*$")
                        .containsPattern("(?m)^sekisho_buffer_memory_used_bytes\\{memory_type=\"heap\"} ");
            }
        }
    }
}
