package io.sekisho.proxy.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.Await;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.TcpTable;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The end of most HTTPS tunnels (issue 17): the origin answers and closes its socket, the proxy
 * passes the FIN on, and the client's side stays open and sends its last bytes (a TLS
 * close_notify). The proxy once relayed them to the closed origin, which answered with a RST;
 * on Netty 4.2.10's native transport the reset socket stayed in the event loop's epoll set
 * with an empty interest set, and since epoll reports {@code EPOLLERR|EPOLLHUP} whatever the
 * mask, the loop woke at once on every wait until the client's FIN (see {@code Transport}).
 * Now the proxy closes its upstream at the origin's FIN and drops the client's later bytes
 * (OriginCloseEndsTunnelTest); no socket may be left in an epoll set with an empty mask
 * either way. Linux only: it reads the JVM's epoll sets from {@code /proc/self/fdinfo}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResetAfterOriginCloseTest {

    @Test
    void aResetUpstreamIsNotLeftInEpollWithAnEmptyMaskAndTheTunnelEndsCleanly() throws Exception {
        try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ProxyFixture proxy = ProxyFixture.start(TestConfigs.builder()
                        .resolve("closing.test", origin.getLocalPort()).build(),
                        TestPolicy.allowing("closing.test"));
                RawClient c = new RawClient(proxy.port())) {
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> answerOnceAndClose(origin));
            assertThat(c.send("CONNECT closing.test:443 HTTP/1.1\r\n\r\n").readHead()).startsWith("HTTP/1.1 200");
            c.send("ping");
            assertThat(new String(c.readToEnd(), StandardCharsets.US_ASCII)).isEqualTo("pong");
            answered.get(15, TimeUnit.SECONDS);

            // The origin's FIN came through; the client's side stays open and sends once more,
            // and the proxy's upstream socket leaves the kernel's connection table.
            c.send("bye");
            Await.until(() -> !TcpTable.hasConnectionTo(origin.getLocalPort()), Duration.ofSeconds(15));

            assertThat(emptyMaskRegistrations()).as("sockets in an epoll set with no events asked for").isEmpty();

            c.shutdownOutput();
            assertThat(proxy.audit().await("CONNECT", "closing.test")).containsEntry("bytesDown", 4L);
        }
    }

    private static void answerOnceAndClose(ServerSocket origin) {
        try (Socket s = origin.accept()) {
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
            s.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** EPOLLERR | EPOLLHUP: the kernel adds them to every registration, asked for or not. */
    private static final long ALWAYS_REPORTED = 0x18;
    /** The event bits of a mask, without the flags (EPOLLET, EPOLLONESHOT...) in the top nibble. */
    private static final long EVENT_BITS = 0x0FFF_FFFFL;

    /** The registrations, in every epoll instance this JVM holds, that ask for no event at all. */
    private static List<String> emptyMaskRegistrations() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue;
                }
                if (!target.equals("anon_inode:[eventpoll]")) {
                    continue;
                }
                for (String line : fdinfo(fd.getFileName().toString())) {
                    Map<String, String> f = fields(line);
                    if (f.containsKey("tfd")
                            && (Long.parseLong(f.getOrDefault("events", "0"), 16) & EVENT_BITS & ~ALWAYS_REPORTED) == 0) {
                        found.add("epoll fd " + fd.getFileName() + ": " + line.trim());
                    }
                }
            }
        }
        return found;
    }

    private static List<String> fdinfo(String fd) {
        try {
            return Files.readAllLines(Path.of("/proc/self/fdinfo", fd));
        } catch (IOException gone) {
            return List.of();
        }
    }

    /** "tfd:       42 events:       19 data: ..." as name → value. */
    private static Map<String, String> fields(String line) {
        String[] t = line.trim().split("[:\\s]+");
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < t.length; i += 2) {
            m.put(t[i], t[i + 1]);
        }
        return m;
    }
}
