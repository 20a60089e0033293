package io.sekisho.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.sekisho.proxy.channel.QuietNioServerSocketChannel;
import io.sekisho.proxy.channel.QuietNioSocketChannel;
import org.junit.jupiter.api.Test;

class TransportTest {

    @Test
    void nioIsTheDefault() {
        assertThat(System.getProperty("sekisho.transport")).isNull();
        Transport t = Transport.best();
        assertThat(t.name()).isEqualTo("nio");
        assertThat(t.socketChannel()).isEqualTo(QuietNioSocketChannel.class);
        assertThat(t.serverChannel()).isEqualTo(QuietNioServerSocketChannel.class);
    }

    @Test
    void epollIsChosenOnlyWhenAskedForAndItLoads() {
        assertThat(Transport.byName("epoll").name()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
    }

    @Test
    void anUnknownTransportIsRefused() {
        assertThatThrownBy(() -> Transport.byName("kqueue")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nio or epoll");
    }
}
