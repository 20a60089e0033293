package io.sekisho.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void epollIsRefusedWithItsReason() {
        assertThatThrownBy(() -> Transport.byName("epoll")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer offered").hasMessageContaining("half-closed tunnels");
    }

    @Test
    void anUnknownTransportIsRefused() {
        assertThatThrownBy(() -> Transport.byName("kqueue")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be nio");
    }
}
