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
 * host's leaf and chain. TLS 1.2/1.3, modern suites, session resumption; two contexts over one
 * key: ALPN http/1.1 only, and ALPN h2 then http/1.1 for an interception that speaks HTTP/2.
 */
public final class ServerTls {

    private final String host;
    private final SslContext sslContext;
    private final SslContext http2Context;
    private final List<X509Certificate> chain;

    private ServerTls(String host, SslContext sslContext, SslContext http2Context, List<X509Certificate> chain) {
        this.host = host;
        this.sslContext = sslContext;
        this.http2Context = http2Context;
        this.chain = chain;
    }

    /** Builds the context for {@code leaf}. Not cheap (parses the key): call on the minting executor. */
    public static ServerTls create(Leaf leaf, TlsProvider provider) throws SSLException {
        Objects.requireNonNull(provider);
        SslContext[] contexts = TlsContexts.servers(leaf.privateKey(), leaf.chain(), provider);
        return new ServerTls(leaf.host(), contexts[0], contexts[1], leaf.chain());
    }

    public String host() {
        return host;
    }

    public SslContext sslContext() {
        return sslContext;
    }

    /** A server-side handler for one accepted client connection, offering HTTP/1.1 only. */
    public SslHandler newHandler(ByteBufAllocator allocator) {
        return sslContext.newHandler(allocator);
    }

    /**
     * A server-side handler for one accepted client connection; with {@code offerHttp2} its ALPN
     * offers h2 before http/1.1 and the caller must read {@link SslHandler#applicationProtocol()}.
     */
    public SslHandler newHandler(ByteBufAllocator allocator, boolean offerHttp2) {
        return (offerHttp2 ? http2Context : sslContext).newHandler(allocator);
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
