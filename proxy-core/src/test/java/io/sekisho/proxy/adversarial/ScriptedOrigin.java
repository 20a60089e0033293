package io.sekisho.proxy.adversarial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw-socket origin for what {@link io.sekisho.proxy.testing.RecordingOrigin}, a well-behaved
 * Netty server, cannot do: after each request head it follows its {@link Script}, then reads
 * until the proxy closes, counting every byte that came after the head. One thread per
 * connection; loopback only.
 */
final class ScriptedOrigin implements AutoCloseable {
    /** How the origin misbehaves once it has read a request head. */
    enum Script {
        /** Announces 100000 bytes, sends 1000, then resets the connection (RST, not FIN). */
        RESET_MID_BODY,
        /** Half-closes (FIN) without answering, and keeps reading. */
        HALF_CLOSE_BEFORE_ANSWER,
        /** A 200 whose 5000-byte body is delimited by a half-close (no length), and keeps reading. */
        HALF_CLOSE_AFTER_BODY,
        /** A final 200 at once, without 100 Continue and without waiting for the announced body. */
        FINAL_WITHOUT_CONTINUE
    }

    static final int ANNOUNCED = 100_000;
    static final int SENT_BEFORE_RESET = 1000;
    static final int HALF_CLOSED_BODY = 5000;

    private final Script script;
    private final ServerSocket server;
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger closedByProxy = new AtomicInteger();
    private final AtomicLong bytesAfterHeads = new AtomicLong();

    ScriptedOrigin(Script script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-origin-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Every request head received, in order. */
    List<String> heads() {
        return heads;
    }

    int connections() {
        return sockets.size();
    }

    /** Connections on which the proxy's side ended (EOF or reset) after the script ran. */
    int closedByProxy() {
        return closedByProxy.get();
    }

    /** Bytes received after the request heads: a body, or a request the proxy should not have sent. */
    long bytesAfterHeads() {
        return bytesAfterHeads.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-origin-" + sockets.size());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            String head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            heads.add(head);
            if (act(s, s.getOutputStream())) {
                drain(in);
            }
        } catch (IOException e) {
            // The proxy went away while the script ran: nothing more to record.
        }
    }

    /** @return false when the connection is already gone (the reset) */
    private boolean act(Socket s, OutputStream out) throws IOException {
        switch (script) {
            case RESET_MID_BODY:
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + ANNOUNCED + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[SENT_BEFORE_RESET]);
                out.flush();
                pause(300); // long enough for the proxy to relay the head and the first bytes
                s.setSoLinger(true, 0);
                s.close();
                return false;
            case HALF_CLOSE_BEFORE_ANSWER:
                s.shutdownOutput();
                return true;
            case HALF_CLOSE_AFTER_BODY:
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write("h".repeat(HALF_CLOSED_BODY).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.shutdownOutput();
                return true;
            default:
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return true;
        }
    }

    private void drain(InputStream in) {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                bytesAfterHeads.addAndGet(n);
            }
        } catch (IOException e) {
            // a reset ends the connection as well as a FIN does
        }
        closedByProxy.incrementAndGet();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4 && b.size() < 65536) {
            int c = in.read();
            if (c < 0) {
                return "";
            }
            b.write(c);
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
