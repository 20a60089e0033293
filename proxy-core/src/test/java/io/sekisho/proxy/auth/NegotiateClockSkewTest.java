package io.sekisho.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.proxy.cli.Main;
import io.sekisho.proxy.testing.AuditLines;
import io.sekisho.proxy.testing.Kdc;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RawClient;
import io.sekisho.proxy.testing.RecordingOrigin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * KDC clock skew, made honestly on one machine: nothing here can set a clock back (no
 * libfaketime, no root), so the skew is between when the client wrote its Kerberos authenticator
 * and when the proxy reads it. The real proxy runs in a JVM of its own whose krb5.conf allows
 * {@code clockskew = 1} second; curl makes a real token from a real ticket; the token reaches the
 * proxy 3 seconds later. The JDK's acceptor then sees an authenticator 3 s off its own clock,
 * exactly as it would see a terminal whose clock is 3 s wrong (or 6 min wrong with the default 5
 * min skew), and the proxy answers AUTH_KERBEROS_CLOCK_SKEW. A fresh token to the same proxy passes,
 * so the refusal is the skew and nothing else.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NegotiateClockSkewTest {
    @TempDir
    Path tmp;

    @Test
    void aTokenOlderThanTheAllowedSkewIsRefusedWithItsOwnReason() throws Exception {
        assumeTrue(Kdc.available(), "MIT Kerberos (krb5-kdc, krb5-admin-server, krb5-user) is not installed");
        Path logs = Files.createTempDirectory(Files.createDirectories(ProxyFixture.LOGS), "negotiate-skew");
        try (Kdc kdc = Kdc.start(tmp.resolve("kdc")); RecordingOrigin origin = new RecordingOrigin()) {
            kdc.kinit("alice");
            Path krb5 = Files.writeString(tmp.resolve("proxy-krb5.conf"), "[libdefaults]\n  default_realm = "
                    + Kdc.REALM + "\n  clockskew = 1\n");
            int port = freePort();
            Path audit = logs.resolve("audit.jsonl");
            Path config = Files.writeString(tmp.resolve("sekisho.yaml"), "version: 1\nadmin:\n  listen: \"off\"\n"
                    + "listen: \"127.0.0.1:" + port + "\"\naudit:\n  file: \"" + audit + "\"\ndomains:\n  allow:\n    - a.test\n"
                    + "ports:\n  http: [" + origin.port() + "]\nupstream:\n  resolve:\n    \"a.test\": \"127.0.0.1:"
                    + origin.port() + "\"\nauth:\n  schemes: [negotiate]\n  negotiate:\n    keytab: \""
                    + kdc.serviceKeytab() + "\"\n    principal: \"" + Kdc.SERVICE + "\"\n");
            Process proxy = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.security.krb5.conf=" + krb5, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "run", "--config", config.toString()))
                    .redirectErrorStream(true).redirectOutput(logs.resolve("proxy.log").toFile()).start();
            try {
                awaitListening(proxy, port);
                String late = NegotiateClients.captureToken(kdc, "alice");
                // Longer than the proxy's clockskew of 1 s: the skew is certain, not a race.
                Thread.sleep(3_000);
                String refused = get(port, origin, late);
                assertThat(refused).startsWith("HTTP/1.1 407 ").contains("X-Sekisho-Reason: AUTH_KERBEROS_CLOCK_SKEW");

                assertThat(get(port, origin, NegotiateClients.captureToken(kdc, "alice"))).startsWith("HTTP/1.1 200 ");
                AuditLines lines = new AuditLines(audit);
                assertThat(lines.await(l -> "AUTH_KERBEROS_CLOCK_SKEW".equals(l.get("reason")), Duration.ofSeconds(10)))
                        .containsEntry("user", "");
                assertThat(lines.await(l -> "alice".equals(l.get("user")), Duration.ofSeconds(10)))
                        .containsEntry("verdict", "ALLOW");
            } finally {
                proxy.destroy();
                proxy.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static String get(int port, RecordingOrigin origin, String value) throws IOException {
        try (RawClient c = new RawClient(port)) {
            return c.send("GET http://a.test:" + origin.port() + "/ HTTP/1.1\r\nHost: a.test\r\n"
                    + "Proxy-Authorization: " + value + "\r\nConnection: close\r\n\r\n").readHead();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(Process proxy, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                assertThat(proxy.isAlive()).as("the proxy exited").isTrue();
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the proxy did not listen on " + port);
    }
}
