package io.sekisho.proxy.channel;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.util.function.BiConsumer;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/** The TLS facts of a connection whose TLS this process terminates: version and requested server name. */
public final class ClientTls {
    private ClientTls() {
    }

    /**
     * Hands {@code (version, sni)} to {@code sink} when {@code ch} (or, for an HTTP/2 stream, its
     * connection) has TLS; "" for an SNI not sent.
     */
    public static void of(Channel ch, BiConsumer<String, String> sink) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl == null && ch.parent() != null) {
            // An HTTP/2 stream: the TLS is its connection's.
            ssl = ch.parent().pipeline().get(SslHandler.class);
        }
        if (ssl == null) {
            return;
        }
        SSLSession s = ssl.engine().getSession();
        String sni = "";
        if (s instanceof ExtendedSSLSession e) {
            for (SNIServerName n : e.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    sni = h.getAsciiName();
                }
            }
        }
        sink.accept(s.getProtocol(), sni);
    }
}
