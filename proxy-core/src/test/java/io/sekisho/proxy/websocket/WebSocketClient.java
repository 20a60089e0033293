package io.sekisho.proxy.websocket;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The JDK's WebSocket client ({@code java.net.http.WebSocket}, RFC 6455) through the proxy: a
 * {@code wss://} URI goes through a CONNECT, which the proxy intercepts. Whole messages (text as
 * UTF-8 bytes) arrive on a queue; the listener asks for the next frame only after it took one.
 */
final class WebSocketClient implements WebSocket.Listener {
    private final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();

    static HttpClient httpClient(int proxyPort, SSLContext trusting) {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
                .sslContext(trusting).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Opens {@code uri}; fails with the handshake's exception (a 403 from the proxy, say). */
    static CompletableFuture<WebSocket> open(HttpClient client, URI uri, WebSocketClient listener) {
        return client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, listener);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partial.writeBytes(b);
        if (last) {
            messages.add(partial.toByteArray());
            partial.reset();
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
    }

    byte[] next() throws InterruptedException {
        byte[] m = messages.poll(30, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 30 s");
        }
        return m;
    }

    CompletableFuture<Integer> closed() {
        return closed;
    }
}
