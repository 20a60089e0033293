package io.sekisho.proxy.intercept;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A JDK TLS client inside a CONNECT through the proxy, for looking at what the proxy serves. */
public final class TunnelSockets {
    private TunnelSockets() {
    }

    /** A socket on which {@code CONNECT host:port} was answered 200. */
    static Socket connect(int proxyPort, String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", proxyPort), 5000);
        return connect(s, host, port);
    }

    /** {@code CONNECT host:port} on a socket connected to the proxy, answered 200. */
    public static Socket connect(Socket s, String host, int port) throws IOException {
        s.setSoTimeout(15_000);
        s.getOutputStream().write(("CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String head = readHead(s.getInputStream());
        if (!head.startsWith("HTTP/1.1 200")) {
            s.close();
            throw new IOException("CONNECT refused: " + head);
        }
        return s;
    }

    /**
     * A completed TLS handshake through the proxy to {@code host}.
     *
     * @param sni the SNI to send, or null for none
     */
    static SSLSocket handshake(int proxyPort, String host, String sni, SSLContext trust) throws IOException {
        return handshake(connect(proxyPort, host, 443), host, sni, trust);
    }

    /** A completed TLS handshake with {@code host} on a socket whose CONNECT was answered 200. */
    public static SSLSocket handshake(Socket raw, String host, String sni, SSLContext trust) throws IOException {
        SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(raw, host, 443, true);
        SSLParameters p = tls.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        tls.setSSLParameters(p);
        tls.startHandshake();
        return tls;
    }

    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
