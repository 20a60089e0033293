package io.sekisho.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The client-facing TLS for one intercepted host: a server {@link SslContext} presenting that
 * host's leaf and chain. TLS 1.2/1.3, modern suites, ALPN http/1.1, session resumption.
 */
public final class ServerTls {

    private final String host;
    private final SslContext sslContext;
    private final List<X509Certificate> chain;

    private ServerTls(String host, SslContext sslContext, List<X509Certificate> chain) {
        this.host = host;
        this.sslContext = sslContext;
        this.chain = chain;
    }

    /** Builds the context for {@code leaf}. Not cheap (parses the key): call on the minting executor. */
    public static ServerTls create(Leaf leaf, TlsProvider provider) throws SSLException {
        Objects.requireNonNull(provider);
        SslContext context = TlsContexts.server(leaf.privateKey(), leaf.chain(), provider);
        return new ServerTls(leaf.host(), context, leaf.chain());
    }

    public String host() {
        return host;
    }

    public SslContext sslContext() {
        return sslContext;
    }

    /** A server-side handler for one accepted client connection. */
    public SslHandler newHandler(ByteBufAllocator allocator) {
        return sslContext.newHandler(allocator);
    }

    /** The leaf certificate presented to clients. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Leaf first, then the CA and the CA's chain. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "ServerTls[host=" + host + ", notAfter=" + notAfter() + "]";
    }
}
