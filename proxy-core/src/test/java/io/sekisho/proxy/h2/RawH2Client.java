package io.sekisho.proxy.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.sekisho.proxy.intercept.TunnelSockets;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw HTTP/2 client for attacking the proxy: a JDK TLS socket inside a CONNECT, ALPN h2, and
 * frames written by hand (9-byte header, RFC 9113 §4.1) with header blocks from Netty's HPACK
 * encoder, which does not judge what it encodes. A reader thread records every frame the proxy
 * sends (SETTINGS are acknowledged) and the end of the connection.
 */
final class RawH2Client implements AutoCloseable {
    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int CONTINUATION = 0x9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    static final int ACK = 0x1;

    /** One frame from the proxy; {@code type} -1 marks the end of the connection. */
    record Frame(int type, int flags, int stream, byte[] payload) {
        /** The error code of RST_STREAM or GOAWAY. */
        long errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xffL) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }

        /** The last-stream-id of a GOAWAY (RFC 9113 §6.8), the reserved bit cleared. */
        int lastStreamId() {
            return ((payload[0] & 0x7f) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                    | (payload[3] & 0xff);
        }
    }

    private final SSLSocket tls;
    private final OutputStream out;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private volatile boolean ended;
    private final DefaultHttp2HeadersEncoder hpack =
            new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
    private final DefaultHttp2HeadersDecoder hpackIn = new DefaultHttp2HeadersDecoder(false);

    private RawH2Client(SSLSocket tls) throws IOException {
        this.tls = tls;
        this.out = tls.getOutputStream();
        // The preface first: the proxy's SETTINGS may already be waiting, and their ACK must follow it.
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
        Thread reader = new Thread(this::readLoop, "raw-h2-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** CONNECT {@code host}:443 through the proxy, TLS with ALPN h2 only, the preface and an empty SETTINGS. */
    static RawH2Client open(int proxyPort, String host, SSLContext trust) throws IOException {
        Socket raw = new Socket("127.0.0.1", proxyPort);
        TunnelSockets.connect(raw, host, 443);
        SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(raw, host, 443, true);
        SSLParameters p = tls.getSSLParameters();
        p.setApplicationProtocols(new String[] {"h2"});
        tls.setSSLParameters(p);
        tls.startHandshake();
        if (!"h2".equals(tls.getApplicationProtocol())) {
            tls.close();
            throw new IOException("the proxy did not select h2: " + tls.getApplicationProtocol());
        }
        return new RawH2Client(tls);
    }

    /** A request's header block, HPACK-encoded with nothing checked. */
    byte[] block(Http2Headers headers) {
        ByteBuf b = Unpooled.buffer();
        try {
            hpack.encodeHeaders(0, headers, b);
            return ByteBufUtil.getBytes(b);
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        } finally {
            b.release();
        }
    }

    void headers(int stream, Http2Headers headers, boolean endStream) throws IOException {
        frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block(headers));
    }

    void data(int stream, byte[] bytes, boolean endStream) throws IOException {
        frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
    }

    void reset(int stream, int code) throws IOException {
        frame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, (byte) code});
    }

    synchronized void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        out.write(f);
        out.flush();
    }

    /** The first frame from the proxy that matches, or null after {@code timeout}. */
    Frame await(Predicate<Frame> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = end - System.nanoTime()) {
            Frame f = frames.poll(left, TimeUnit.NANOSECONDS);
            if (f == null) {
                return null;
            }
            if (p.test(f)) {
                return f;
            }
        }
        return null;
    }

    /** The RST_STREAM of {@code stream}, a GOAWAY, or the end of the connection. */
    Frame awaitResetOrGoAway(int stream) throws InterruptedException {
        return await(f -> (f.type() == RST_STREAM && f.stream() == stream) || f.type() == GOAWAY || f.type() < 0,
                Duration.ofSeconds(15));
    }

    /** The response status of {@code stream}, decoding every header block on the way. */
    String awaitStatus(int stream) throws InterruptedException, Http2Exception {
        while (true) {
            Frame f = await(x -> x.type() == HEADERS || x.type() < 0 || x.type() == GOAWAY
                    || (x.type() == RST_STREAM && x.stream() == stream), Duration.ofSeconds(15));
            if (f == null || f.type() != HEADERS) {
                return f == null ? "timeout" : "frame " + f.type();
            }
            ByteBuf b = Unpooled.wrappedBuffer(f.payload());
            Http2Headers h = hpackIn.decodeHeaders(f.stream(), b);
            if (f.stream() == stream) {
                return String.valueOf(h.status());
            }
        }
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(tls.getInputStream());
            while (true) {
                byte[] head = new byte[9];
                in.readFully(head);
                int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
                int stream = ((head[5] & 0x7f) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8)
                        | (head[8] & 0xff);
                byte[] payload = new byte[length];
                in.readFully(payload);
                int type = head[3] & 0xff;
                if (type == SETTINGS && (head[4] & ACK) == 0) {
                    frame(SETTINGS, ACK, 0, new byte[0]);
                }
                if (type == GOAWAY) {
                    ended = true;
                }
                frames.add(new Frame(type, head[4] & 0xff, stream, payload));
            }
        } catch (IOException e) {
            ended = true;
            frames.add(new Frame(-1, 0, 0, new byte[0]));
        }
    }

    /** Whether the proxy ended the connection (GOAWAY or close) within {@code timeout}. */
    boolean endedWithin(Duration timeout) throws InterruptedException {
        return await(f -> f.type() == GOAWAY || f.type() < 0, timeout) != null;
    }

    /** Whether a GOAWAY came or the connection ended: a flood stops sending then. */
    boolean ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        tls.close();
    }
}
