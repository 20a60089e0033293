package io.sekisho.proxy.h2;

import io.sekisho.proxy.intercept.TunnelSockets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * An HTTP/2 client with prior knowledge, as the AWS SDK for Java's Netty client speaks by
 * default: TLS without ALPN, then the connection preface. Its TLS is a JDK SSLEngine driven by
 * hand so that the test says what shares a socket write: the client's last handshake flight
 * (its Finished) and the first application bytes go out in one write, one TCP segment on
 * loopback, as a Netty client that queued its preface during the handshake sends them. A reader
 * thread records the type of each frame the proxy sends (SETTINGS are acknowledged) and the end
 * of the connection (-1).
 */
final class PriorKnowledgeClient implements AutoCloseable {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] EMPTY_SETTINGS = {0, 0, 0, RawH2Client.SETTINGS, 0, 0, 0, 0, 0};
    private static final byte[] SETTINGS_ACK = {0, 0, 0, RawH2Client.SETTINGS, RawH2Client.ACK, 0, 0, 0, 0};
    /** TLS 1.3's middlebox-compatibility ChangeCipherSpec record (RFC 8446 D.4). */
    static final byte[] CHANGE_CIPHER_SPEC = {20, 3, 3, 0, 1, 1};
    private static final int CHANGE_CIPHER_SPEC_TYPE = 20;

    /** What the test does once the ClientHello is out, before the client reads the server's answer. */
    @FunctionalInterface
    interface AfterClientHello {
        /** @return whether it sent the one ChangeCipherSpec itself (the engine's own is then left out) */
        boolean run(OutputStream out) throws IOException, InterruptedException;
    }

    static final AfterClientHello NOTHING = out -> false;

    private final Socket socket;
    private final SSLEngine engine;
    private final OutputStream out;
    private final InputStream in;
    /** Received TLS bytes not yet unwrapped, in read mode. */
    private ByteBuffer netIn;
    private final BlockingQueue<Integer> frameTypes = new LinkedBlockingQueue<>();
    /** The test sent the ChangeCipherSpec after the ClientHello: TLS 1.3 allows one. */
    private boolean ownChangeCipherSpecSent;

    private PriorKnowledgeClient(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.engine = engine;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 4).flip();
    }

    /**
     * CONNECT {@code host}:443 through the proxy, a TLS handshake without ALPN, and {@code first}
     * written in the same socket write as the client's Finished.
     */
    static PriorKnowledgeClient open(int proxyPort, String host, SSLContext trust, byte[] first,
            AfterClientHello afterHello) throws IOException, InterruptedException {
        Socket raw = new Socket("127.0.0.1", proxyPort);
        TunnelSockets.connect(raw, host, 443);
        SSLEngine engine = trust.createSSLEngine(host, 443);
        engine.setUseClientMode(true);
        PriorKnowledgeClient c = new PriorKnowledgeClient(raw, engine);
        c.handshake(first, afterHello);
        Thread reader = new Thread(c::readLoop, "prior-knowledge-h2-reader");
        reader.setDaemon(true);
        reader.start();
        return c;
    }

    private void handshake(byte[] first, AfterClientHello afterHello) throws IOException, InterruptedException {
        engine.beginHandshake();
        ByteArrayOutputStream flight = new ByteArrayOutputStream();
        boolean helloSent = false;
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
                    t.run();
                }
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                wrap(ByteBuffer.allocate(0), flight);
            } else if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                flight.writeTo(out);
                out.flush();
                flight.reset();
                if (!helloSent) {
                    helloSent = true;
                    ownChangeCipherSpecSent = afterHello.run(out);
                }
                unwrap(ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()));
            } else {
                break;
            }
        }
        // The handshake is over on this side: the Finished is in the flight; the first bytes join it.
        wrap(ByteBuffer.wrap(first), flight);
        flight.writeTo(out);
        out.flush();
    }

    private void wrap(ByteBuffer src, ByteArrayOutputStream to) throws SSLException {
        do {
            ByteBuffer o = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult r = engine.wrap(src, o);
            boolean secondChangeCipherSpec = ownChangeCipherSpecSent && o.position() == CHANGE_CIPHER_SPEC.length
                    && o.get(0) == CHANGE_CIPHER_SPEC_TYPE;
            if (!secondChangeCipherSpec) {
                to.write(o.array(), 0, o.position());
            }
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("wrap: " + r.getStatus());
            }
        } while (src.hasRemaining());
    }

    /** One unwrap, reading from the socket until a whole record is there. */
    private SSLEngineResult unwrap(ByteBuffer dst) throws IOException {
        while (true) {
            SSLEngineResult r = engine.unwrap(netIn, dst);
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                return r;
            }
            netIn.compact();
            int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
            if (n < 0) {
                throw new IOException("the proxy closed the connection during the handshake");
            }
            netIn.position(netIn.position() + n).flip();
        }
    }

    /** Application bytes, each write its own TLS record. */
    synchronized void write(byte[] bytes) throws IOException {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        wrap(ByteBuffer.wrap(bytes), records);
        records.writeTo(out);
        out.flush();
    }

    /** The first frame of {@code type} from the proxy, or -1 at the end of the connection; null after the timeout. */
    Integer await(int type, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = end - System.nanoTime()) {
            Integer t = frameTypes.poll(left, TimeUnit.NANOSECONDS);
            if (t == null || t == type || t < 0) {
                return t;
            }
        }
        return null;
    }

    private void readLoop() {
        ByteBuffer app = ByteBuffer.allocate(1 << 20);
        try {
            while (true) {
                if (unwrap(app).getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new IOException("close_notify");
                }
                for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
                    t.run();
                }
                app.flip();
                while (app.remaining() >= 9) {
                    int length = ((app.get(app.position()) & 0xff) << 16) | ((app.get(app.position() + 1) & 0xff) << 8)
                            | (app.get(app.position() + 2) & 0xff);
                    if (app.remaining() < 9 + length) {
                        break;
                    }
                    int type = app.get(app.position() + 3) & 0xff;
                    int flags = app.get(app.position() + 4) & 0xff;
                    app.position(app.position() + 9 + length);
                    if (type == RawH2Client.SETTINGS && (flags & RawH2Client.ACK) == 0) {
                        write(SETTINGS_ACK);
                    }
                    frameTypes.add(type);
                }
                app.compact();
            }
        } catch (IOException e) {
            frameTypes.add(-1);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
