package io.sekisho.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for Sekisho in the fixtures' own tests: a CONNECT-only relay on 127.0.0.1:0 that
 * sends each tunnel to the address {@code resolve} names (the same host patterns as
 * {@code upstream.resolve}: {@code .example.com} = apex and subdomains, else exact). It does not
 * inspect or terminate TLS, so clients must trust the origin CA. It proves the clients' proxy
 * settings ({@code HTTPS_PROXY}, SDK proxy configuration, Chromium flags) send everything through
 * a proxy by name, with no DNS on the client side. Blocking threads: it is test code, not a model.
 */
public final class TunnelOnlyProxy implements AutoCloseable {

    private static final int MAX_HEAD = 8192;

    private final Map<String, String> resolve;
    private final ServerSocket server;
    private final List<String> connects = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private TunnelOnlyProxy(Map<String, String> resolve) throws IOException {
        this.resolve = Map.copyOf(resolve);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tunnel-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a relay; {@code resolve} maps host patterns to {@code ip:port} (e.g. {@link FakeAwsOrigin#resolvePatterns()}). */
    public static TunnelOnlyProxy start(Map<String, String> resolve) {
        try {
            return new TunnelOnlyProxy(resolve);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The {@code host:port} of every CONNECT received, in order. */
    public List<String> connects() {
        return List.copyOf(connects);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread handler = new Thread(() -> serve(client), "tunnel-proxy-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String[] requestLine = readHead(in).split("\r\n", 2)[0].split(" ");
            if (requestLine.length < 3 || !requestLine[0].equals("CONNECT")) {
                out.write("HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            connects.add(requestLine[1]);
            Optional<InetSocketAddress> target = target(requestLine[1]);
            if (target.isEmpty()) {
                out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            try (Socket upstream = new Socket()) {
                open.add(upstream);
                upstream.connect(target.get(), 5000);
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread upload = new Thread(() -> pump(client, upstream), "tunnel-proxy-up");
                upload.setDaemon(true);
                upload.start();
                pump(upstream, client);
                upload.join(5000);
            }
        } catch (IOException | InterruptedException e) {
            // A client or origin hanging up ends the tunnel; nothing to report.
        } finally {
            open.remove(client);
        }
    }

    private Optional<InetSocketAddress> target(String authority) {
        int colon = authority.lastIndexOf(':');
        String host = (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
        String best = null;
        for (String pattern : resolve.keySet()) {
            boolean matches = pattern.startsWith(".") ? host.endsWith(pattern) || host.equals(pattern.substring(1))
                    : host.equals(pattern);
            if (matches && (best == null || pattern.length() > best.length())) {
                best = pattern;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String[] address = resolve.get(best).split(":");
        return Optional.of(new InetSocketAddress(address[0], Integer.parseInt(address[1])));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4 && head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before the end of the request head");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // The other direction's failure closes the tunnel.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        });
    }
}
