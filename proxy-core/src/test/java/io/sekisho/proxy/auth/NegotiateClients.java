package io.sekisho.proxy.auth;

import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.Kdc;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real curl as a Kerberos client ({@code --proxy-negotiate -U :}, the ticket from the user's
 * cache), and a way to keep one of curl's tokens: a listener that plays a proxy asking for
 * Negotiate and records the {@code Proxy-Authorization} curl answers with, so that a test can
 * send that real token later (a replay, a skewed clock). Tokens are kept in memory only.
 */
final class NegotiateClients {
    private NegotiateClients() {
    }

    /** {@code curl --proxy-negotiate -U : -x http://localhost:<port> [args…]} as {@code user}. */
    static Curl.Result curl(Kdc kdc, String user, int proxyPort, String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "--proxy-negotiate", "-U", ":",
                "-x", "http://localhost:" + proxyPort, "-D", "/dev/stderr", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        return Curl.run(cmd, kdc.clientEnv(user));
    }

    /** A fresh {@code Negotiate <base64>} value that curl made for {@code HTTP/localhost}, never sent to a proxy. */
    static String captureToken(Kdc kdc, String user) {
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(30_000);
            CompletableFuture<Curl.Result> client = CompletableFuture.supplyAsync(
                    () -> curl(kdc, user, listener.getLocalPort(), "http://a.test/"));
            String token = null;
            while (token == null) {
                try (Socket s = listener.accept()) {
                    String head = readHead(s.getInputStream());
                    token = proxyAuthorization(head);
                    OutputStream out = s.getOutputStream();
                    out.write((token == null
                            ? "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\n"
                            : "HTTP/1.1 503 Service Unavailable\r\n")
                            .concat("Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            client.get(60, TimeUnit.SECONDS);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("curl made no Negotiate token", e);
        }
    }

    private static String proxyAuthorization(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Proxy-Authorization:", 0, 20)) {
                return line.substring(20).strip();
            }
        }
        return null;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return b.toString();
    }
}
