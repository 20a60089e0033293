package io.sekisho.proxy.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.channel.SplicedChannels;
import io.sekisho.proxy.testing.Await;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.TcpTable;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The origin's FIN ends a tunnel (RFC 9110 §9.3.6), on real loopback sockets: what the origin
 * sent reaches the client whole, followed by a FIN; the proxy closes its upstream connection
 * at once; what the client sends afterwards is read and dropped, never relayed, and the
 * client's connection ends after its own FIN. (The client's FIN is still
 * passed on as a FIN: TunnelTest.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OriginCloseEndsTunnelTest {
    private static final int BODY = 4 * 1024 * 1024;

    @Test
    void theOriginsFinClosesTheUpstreamAndTheClientsLaterBytesAreNeverRelayed() throws Exception {
        try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ProxyFixture proxy = start(origin);
                RawClient c = new RawClient(proxy.port())) {
            // The origin answers, half-closes, and goes on reading: it must see the proxy's
            // close, not the client's later bytes. The client's end of stream means the proxy
            // has taken in the origin's FIN, so "bye" comes after it.
            CompletableFuture<byte[]> afterItsFin = CompletableFuture.supplyAsync(() -> answerThenRead(origin));
            assertThat(c.send("CONNECT closing.test:443 HTTP/1.1\r\n\r\n").readHead()).startsWith("HTTP/1.1 200");
            c.send("ping");
            assertThat(new String(c.readToEnd(), StandardCharsets.US_ASCII)).isEqualTo("pong");
            c.send("bye");

            assertThat(afterItsFin.get(15, TimeUnit.SECONDS)).as("what the origin read after its FIN").isEmpty();
            Await.until(() -> !TcpTable.hasConnectionTo(origin.getLocalPort()), Duration.ofSeconds(15));
            c.shutdownOutput();
            Map<String, Object> line = proxy.audit().await("CONNECT", "closing.test");
            assertThat(line).containsEntry("verdict", "ALLOW").containsEntry("bytesUp", 4L)
                    .containsEntry("bytesDown", 4L);
            assertThat(proxy.audit().all()).hasSize(1);
        }
    }

    @Test
    void aLargeAnswerEndedByTheOriginsCloseReachesTheClientWhole() throws Exception {
        byte[] body = new byte[BODY];
        new Random(17).nextBytes(body);
        try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ProxyFixture proxy = start(origin);
                RawClient c = new RawClient(proxy.port())) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> sendAndClose(origin, body));
            assertThat(c.send("CONNECT closing.test:443 HTTP/1.1\r\n\r\n").readHead()).startsWith("HTTP/1.1 200");
            c.send("ping");

            byte[] got = readAll(c.in());

            sent.get(15, TimeUnit.SECONDS);
            assertThat(got.length).isEqualTo(BODY);
            assertThat(Arrays.equals(got, body)).as("the relayed bytes equal the origin's").isTrue();
            Await.until(() -> !TcpTable.hasConnectionTo(origin.getLocalPort()), Duration.ofSeconds(15));
            c.send("late");
            c.shutdownOutput();
            Map<String, Object> line = proxy.audit().await("CONNECT", "closing.test");
            assertThat(line).containsEntry("bytesUp", 4L).containsEntry("bytesDown", (long) BODY);
        }
    }

    @Test
    void aClientThatKeepsSendingAfterTheOriginsFinIsNoLongerReadPastTheLimit() throws Exception {
        try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder()
                        .resolve("closing.test", origin.getLocalPort()).idleTimeout(Duration.ofSeconds(2)).build(),
                        TestPolicy.allowing("closing.test"));
                RawClient c = new RawClient(proxy.port())) {
            CompletableFuture<byte[]> afterItsFin = pongThenUpstreamClosed(origin, c);

            // Past the limit the proxy stops reading: the client's writes stall once the
            // socket buffers are full, and the idle timeout (2 s) closes the tunnel under them.
            // Were everything read and dropped, all 256 MiB would go through.
            byte[] chunk = new byte[64 * 1024];
            long sent = 0;
            boolean cutOff = false;
            try {
                for (; sent < 256L << 20; sent += chunk.length) {
                    c.send(chunk);
                }
            } catch (IOException closedUnderTheWrite) {
                cutOff = true;
            }

            assertThat(cutOff).as("the client's writes were cut off, after %d bytes", sent).isTrue();
            assertThat(sent).isGreaterThan(SplicedChannels.MAX_DROPPED_BYTES);
            Map<String, Object> line = proxy.audit().await("CONNECT", "closing.test");
            assertThat(line).containsEntry("bytesUp", 4L).containsEntry("bytesDown", 4L);
            assertThat(afterItsFin.get(15, TimeUnit.SECONDS)).isEmpty();
        }
    }

    /**
     * The origin reads "ping", answers "pong" and half-closes ({@link #answerThenRead}); the
     * client reads the answer to its end, and the proxy's upstream leaves the connection table.
     * Completes with what the origin read after its FIN.
     */
    private static CompletableFuture<byte[]> pongThenUpstreamClosed(ServerSocket origin, RawClient c)
            throws IOException, InterruptedException {
        CompletableFuture<byte[]> afterItsFin = CompletableFuture.supplyAsync(() -> answerThenRead(origin));
        assertThat(c.send("CONNECT closing.test:443 HTTP/1.1\r\n\r\n").readHead()).startsWith("HTTP/1.1 200");
        c.send("ping");
        assertThat(new String(c.readToEnd(), StandardCharsets.US_ASCII)).isEqualTo("pong");
        Await.until(() -> !TcpTable.hasConnectionTo(origin.getLocalPort()), Duration.ofSeconds(15));
        return afterItsFin;
    }

    private static ProxyFixture start(ServerSocket origin) {
        return ProxyFixture.start(TestConfigs.builder().resolve("closing.test", origin.getLocalPort()).build(),
                TestPolicy.allowing("closing.test"));
    }

    /** Reads "ping", answers "pong", half-closes, then returns what it reads until EOF. */
    private static byte[] answerThenRead(ServerSocket origin) {
        try (Socket s = origin.accept()) {
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
            s.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            return readAll(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sendAndClose(ServerSocket origin, byte[] body) {
        try (Socket s = origin.accept()) {
            assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
            s.getOutputStream().write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything until EOF; a reset fails the read (and the test). */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
