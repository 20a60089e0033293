package io.sekisho.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.internal.tcnative.SSL;
import io.netty.util.concurrent.Future;
import io.sekisho.tls.TestPki.Issued;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real handshakes against the client-facing context of a minted leaf. The CA is an
 * intermediate; the clients trust only the root above it.
 */
@Timeout(60)
class ServerTlsHandshakeTest {

    private static final String HOST = "my-bucket.s3.eu-west-1.amazonaws.com";
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    private final Issued root = TestPki.root("Handshake Root");
    private final Issued intermediate = TestPki.intermediate(root, "Handshake Intermediate");

    @AfterAll
    static void stopGroup() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aClientTrustingOnlyTheRootCompletesTls13WithAlpnHttp11(TlsProvider provider) throws Exception {
        ServerTls tls = serverTls(provider);
        try (TestServer server = TestServer.start(GROUP, ch -> tls.newHandler(ch.alloc()));
                SSLSocket socket = jdkClient(server.port(), new String[] {"TLSv1.3"}, null, "h2", "http/1.1")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
            Certificate[] peer = socket.getSession().getPeerCertificates();
            assertThat(peer).as("leaf then the intermediate; the root stays with the client")
                    .containsExactly(tls.certificate(), intermediate.certificate());
            assertThat(((X509Certificate) peer[0]).getSubjectAlternativeNames()).containsExactly(List.of(2, HOST));
            assertThat(readLine(socket)).isEqualTo("hello");
            assertThat(server.nextHandshake().success()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void tls12WithAnAeadSuiteIsAccepted(TlsProvider provider) throws Exception {
        ServerTls tls = serverTls(provider);
        try (TestServer server = TestServer.start(GROUP, ch -> tls.newHandler(ch.alloc()));
                SSLSocket socket = jdkClient(server.port(), new String[] {"TLSv1.2"}, null, "http/1.1")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).isIn(TlsContexts.CIPHER_SUITES);
            assertThat(socket.getSession().getCipherSuite()).contains("ECDHE");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aTls12ClientOfferingOnlyCbcSuitesIsRefused(TlsProvider provider) throws Exception {
        ServerTls tls = serverTls(provider);
        String[] cbcOnly = {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"};
        try (TestServer server = TestServer.start(GROUP, ch -> tls.newHandler(ch.alloc()))) {
            assertThatThrownBy(() -> jdkClient(server.port(), new String[] {"TLSv1.2"}, cbcOnly, "http/1.1").close())
                    .isInstanceOf(SSLHandshakeException.class);
            assertThat(server.nextHandshake().success()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aClientOfferingOnlyH2FallsBackToNoAlpnRatherThanFailing(TlsProvider provider) throws Exception {
        ServerTls tls = serverTls(provider);
        try (TestServer server = TestServer.start(GROUP, ch -> tls.newHandler(ch.alloc()));
                SSLSocket socket = jdkClient(server.port(), new String[] {"TLSv1.3"}, null, "h2")) {
            assertThat(socket.getApplicationProtocol()).isEmpty();
            assertThat(readLine(socket)).isEqualTo("hello");
        }
    }

    /**
     * The JDK client cannot offer TLS 1.1 any more (jdk.tls.disabledAlgorithms), so the old
     * client is BoringSSL's. The control case shows this very client does complete TLS 1.1
     * with a server that allows it: the refusal comes from our context.
     */
    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aTls11ClientIsRefused(TlsProvider provider) throws Exception {
        assumeTrue(TlsProvider.OPENSSL.isAvailable(), "the TLS 1.1 client needs BoringSSL");
        ServerTls tls = serverTls(provider);
        try (TestServer server = TestServer.start(GROUP, ch -> tls.newHandler(ch.alloc()))) {
            Future<Channel> handshake = tls11Client(server.port());
            assertThat(handshake.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(handshake.isSuccess()).as("TLS 1.1 handshake").isFalse();
            assertThat(server.nextHandshake().success()).isFalse();
        }
    }

    @Test
    void controlTheTls11ClientWorksAgainstAServerThatAllowsIt() throws Exception {
        assumeTrue(TlsProvider.OPENSSL.isAvailable(), "the TLS 1.1 client needs BoringSSL");
        Leaf leaf = minter().mint(HOST);
        SslContext legacy = SslContextBuilder.forServer(leaf.privateKey(), leaf.chain())
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.1")
                .ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")).build();
        try (TestServer server = TestServer.start(GROUP, ch -> legacy.newHandler(ch.alloc()))) {
            Future<Channel> handshake = tls11Client(server.port());
            assertThat(handshake.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(handshake.isSuccess()).as("control: TLS 1.1 handshake").isTrue();
            handshake.getNow().close();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void enginesEnableExactlyTls12And13AndOnlyTheListedSuites(TlsProvider provider) throws Exception {
        SSLEngine engine = serverTls(provider).sslContext().newEngine(ByteBufAllocator.DEFAULT);
        try {
            // Netty's BoringSSL engine lists the pseudo-protocol SSLv2Hello, which BoringSSL never accepts.
            assertThat(engine.getEnabledProtocols()).filteredOn(p -> !p.equals("SSLv2Hello"))
                    .containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
            assertThat(engine.getEnabledCipherSuites()).isSubsetOf(TlsContexts.CIPHER_SUITES)
                    .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        } finally {
            ReferenceCountUtil.release(engine);
        }
    }

    /** The client asks BoringSSL whether it resumed; the server may be either provider. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"OPENSSL, TLSv1.3", "JDK, TLSv1.3", "OPENSSL, TLSv1.2", "JDK, TLSv1.2"})
    void aReturningClientResumesItsSession(TlsProvider provider, String protocol) throws Exception {
        assumeTrue(TlsProvider.OPENSSL.isAvailable(), "the probing client needs BoringSSL");
        ServerTls tls = serverTls(provider);
        assertThat(resumedFlags(tls.sslContext(), protocol)).containsExactly(false, true);
    }

    /** Control: a client that keeps no session (a fresh context each time) never resumes. */
    @Test
    void controlAForgetfulClientDoesNotResume() throws Exception {
        assumeTrue(TlsProvider.OPENSSL.isAvailable());
        ServerTls tls = serverTls(TlsProvider.OPENSSL);
        List<Boolean> resumed = new ArrayList<>();
        resumed.addAll(resumedFlags(tls.sslContext(), "TLSv1.3", 1));
        resumed.addAll(resumedFlags(tls.sslContext(), "TLSv1.3", 1));
        assertThat(resumed).containsExactly(false, false);
    }

    /** Two connections from one client context; for each, whether its session was resumed. */
    private List<Boolean> resumedFlags(SslContext serverContext, String protocol) throws Exception {
        return resumedFlags(serverContext, protocol, 2);
    }

    private List<Boolean> resumedFlags(SslContext serverContext, String protocol, int connections) throws Exception {
        SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(root.certificate()).protocols(protocol).build();
        List<Boolean> resumed = new ArrayList<>();
        try (TestServer server = TestServer.start(GROUP, ch -> serverContext.newHandler(ch.alloc()))) {
            for (int i = 0; i < connections; i++) {
                SslHandler handler = client.newHandler(ByteBufAllocator.DEFAULT, HOST, server.port());
                CompletableFuture<Boolean> reused = new CompletableFuture<>();
                new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(handler, new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        // The greeting comes after the session ticket: the session is now cacheable.
                                        ReferenceCountUtil.release(msg);
                                        long ssl = ((ReferenceCountedOpenSslEngine) handler.engine()).sslPointer();
                                        reused.complete(SSL.isSessionReused(ssl));
                                        ctx.close();
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        reused.completeExceptionally(cause);
                                        ctx.close();
                                    }
                                });
                            }
                        })
                        .connect("127.0.0.1", server.port()).sync();
                resumed.add(reused.get(20, TimeUnit.SECONDS));
                assertThat(server.nextHandshake().success()).isTrue();
            }
        }
        return resumed;
    }

    // --- helpers -------------------------------------------------------------------------------

    private ServerTls serverTls(TlsProvider provider) throws Exception {
        assumeTrue(provider.isAvailable(), provider + " not available here");
        return ServerTls.create(minter().mint(HOST), provider);
    }

    private LeafMinter minter() throws CaException {
        CertificateAuthority ca = CertificateAuthority.of(List.of(intermediate.certificate()),
                intermediate.privateKey(), Clock.systemUTC());
        return new LeafMinter(ca, Clock.systemUTC(), new SecureRandom());
    }

    private SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), new SecureRandom());
        return context;
    }

    private SSLSocket jdkClient(int port, String[] protocols, String[] suites, String... alpn) throws Exception {
        return jdkClient(clientContext(), port, protocols, suites, alpn);
    }

    /** A JDK client connected to 127.0.0.1 that believes it talks to {@link #HOST}: SNI and hostname check. */
    private static SSLSocket jdkClient(SSLContext context, int port, String[] protocols, String[] suites,
            String... alpn) throws Exception {
        Socket raw = new Socket("127.0.0.1", port);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, HOST, port, true);
        try {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(protocols);
            if (suites != null) {
                parameters.setCipherSuites(suites);
            }
            parameters.setApplicationProtocols(alpn);
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            return socket;
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    private static String readLine(SSLSocket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    private Future<Channel> tls11Client(int port) throws Exception {
        SslContext context = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(root.certificate())
                .protocols("TLSv1.1")
                .ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"))
                .build();
        SslHandler handler = context.newHandler(ByteBufAllocator.DEFAULT, HOST, port);
        new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(handler, new Discard());
                    }
                })
                .connect("127.0.0.1", port).sync();
        return handler.handshakeFuture();
    }

    /** Releases what arrives; a failed handshake closes the channel. */
    static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
