package io.sekisho.proxy.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A tunnel side whose input has ended must still be able to wait for its peer to read. The
 * client half-closes at once; only then does the origin send 16 MiB, far more than the
 * socket buffers hold while the client does not read, so the proxy's client side has to wait
 * for write readiness after its read interest is gone. Netty's native epoll transport (4.2.18,
 * 4.2.21) drops such a socket from epoll and then fails that wait with {@code epoll_ctl} ENOENT,
 * losing the bytes in flight: this test received 3 995 136 of 16 777 216 bytes there, which is
 * why Sekisho runs on NIO only ({@code upstream/Transport}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HalfClosedClientReadsLateTest {
    private static final int SIZE = 16 << 20;

    private ServerSocket server;
    private ProxyFixture proxy;
    private final byte[] data = new byte[SIZE];
    private CompletableFuture<Void> origin;

    @BeforeEach
    void start() throws IOException {
        new Random(11).nextBytes(data);
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        // Reads until the client's FIN has come through, then answers with all of data and closes.
        origin = CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept(); InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream()) {
                in.readAllBytes();
                out.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        proxy = ProxyFixture.start(TestConfigs.builder()
                .resolve("late.test", server.getLocalPort())
                .idleTimeout(Duration.ofSeconds(30))
                .build(), TestPolicy.allowing("late.test"));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        server.close();
    }

    @Test
    void aHalfClosedClientThatReadsLateGetsEveryByte() throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            assertThat(c.send("CONNECT late.test:443 HTTP/1.1\r\nHost: late.test:443\r\n\r\n").readHead())
                    .startsWith("HTTP/1.1 200");
            c.send("go");
            c.shutdownOutput();
            // Not reading yet: the origin's answer fills the buffers and the proxy has to wait
            // for the client, with the client's input already ended.
            Thread.sleep(1500);
            byte[] back = c.readToEnd();
            assertThat(back.length).as("bytes the client received").isEqualTo(SIZE);
            assertThat(Arrays.equals(back, data)).as("the bytes the origin sent").isTrue();
        }
        origin.get(10, TimeUnit.SECONDS);
        Map<String, Object> line = proxy.audit().await("CONNECT", "late.test");
        assertThat(line).containsEntry("bytesUp", 2L).containsEntry("bytesDown", (long) SIZE);
    }
}
