package io.sekisho.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import io.sekisho.tls.TestPki.Issued;
import io.sekisho.tls.TestServer.Handshake;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proxy → upstream client against real TLS origins on 127.0.0.1. The origins use the JDK
 * provider; the client under test runs on each provider.
 */
@Timeout(60)
class UpstreamTlsTest {

    private static final String ORIGIN = "origin.test";
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    @TempDir
    Path dir;

    private final Issued originRoot = TestPki.root("Origin Root");
    private Path extraRoots;

    @BeforeEach
    void writeExtraRoots() {
        extraRoots = TestPki.write(dir.resolve("roots.pem"), TestPki.pem(originRoot.certificate()));
    }

    @AfterAll
    static void stopGroup() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void anOriginTrustedThroughAnExtraRootSucceedsAndReceivesSni(TlsProvider provider) throws Exception {
        try (TestServer origin = origin(TestPki.server(originRoot, ORIGIN))) {
            Throwable failure = handshake(upstream(provider), ORIGIN, origin.port());
            assertThat(failure).isNull();
            Handshake seen = origin.nextHandshake();
            assertThat(seen.success()).isTrue();
            assertThat(seen.sni()).isEqualTo(ORIGIN);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void anExpiredCertificateIsCertInvalid(TlsProvider provider) throws Exception {
        Issued expired = TestPki.spec("CN=" + ORIGIN).server(ORIGIN).issuer(originRoot)
                .validity(TestPki.NOW.minus(Duration.ofDays(10)), TestPki.NOW.minus(Duration.ofDays(1))).issue();
        assertCertInvalid(provider, expired, ORIGIN, "CertificateExpiredException");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aCertificateForAnotherHostIsCertInvalid(TlsProvider provider) throws Exception {
        assertCertInvalid(provider, TestPki.server(originRoot, "other.test"), ORIGIN,
                "No subject alternative DNS name matching origin.test");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aSelfSignedCertificateIsCertInvalid(TlsProvider provider) throws Exception {
        assertCertInvalid(provider, TestPki.spec("CN=" + ORIGIN).server(ORIGIN).issue(), ORIGIN,
                "unable to find valid certification path");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aCertificateFromAnUnknownCaIsCertInvalid(TlsProvider provider) throws Exception {
        assertCertInvalid(provider, TestPki.server(TestPki.root("Unknown Root"), ORIGIN), ORIGIN,
                "unable to find valid certification path");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void anIpLiteralIsCheckedAgainstTheCertificateToo(TlsProvider provider) throws Exception {
        assertCertInvalid(provider, TestPki.server(originRoot, ORIGIN), "127.0.0.1",
                "No subject alternative names matching IP address 127.0.0.1");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void anOriginThatDoesNotSpeakTlsIsTlsFailed(TlsProvider provider) throws Exception {
        try (TestServer plain = TestServer.start(GROUP, ch -> new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 400 Bad Request\r\n\r\n", StandardCharsets.US_ASCII))
                        .addListener(f -> ctx.close());
            }
        })) {
            Throwable failure = handshake(upstream(provider), ORIGIN, plain.port());
            assertThat(failure).isNotNull();
            assertThat(UpstreamTls.classify(failure)).isEqualTo(UpstreamFailure.TLS_FAILED);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void anOriginWithOnlyCbcSuitesIsTlsFailed(TlsProvider provider) throws Exception {
        Issued cert = TestPki.server(originRoot, ORIGIN);
        SslContext legacy = SslContextBuilder.forServer(cert.privateKey(), cert.certificate())
                .sslProvider(SslProvider.JDK).protocols("TLSv1.2")
                .ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"))
                .build();
        try (TestServer origin = TestServer.start(GROUP, ch -> legacy.newHandler(ch.alloc()))) {
            Throwable failure = handshake(upstream(provider), ORIGIN, origin.port());
            assertThat(failure).isNotNull();
            assertThat(UpstreamTls.classify(failure)).isEqualTo(UpstreamFailure.TLS_FAILED);
        }
    }

    @Test
    void trustsTheJdkDefaultRootsAsWellAsTheExtraOnes() throws Exception {
        UpstreamTls withExtra = upstream(TlsProvider.JDK);
        UpstreamTls withoutExtra = UpstreamTls.create(List.of(), TlsProvider.JDK);
        assertThat(withoutExtra.trustAnchorCount()).as("JDK cacerts").isPositive();
        assertThat(withExtra.trustAnchorCount()).isEqualTo(withoutExtra.trustAnchorCount() + 1);
    }

    @Test
    void aMissingExtraRootFileIsASetupError() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> UpstreamTls.create(List.of(missing), TlsProvider.JDK))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("upstream.trustedCertificates: cannot read " + missing + ": no such file");
    }

    @Test
    void classifiesByTheCauseChain() {
        assertThat(UpstreamTls.classify(new SSLHandshakeException("x").initCause(new CertificateExpiredException())))
                .isEqualTo(UpstreamFailure.CERT_INVALID);
        assertThat(UpstreamTls.classify(new SSLHandshakeException("x").initCause(
                new RuntimeException(new CertificateException("No subject alternative DNS name")))))
                .isEqualTo(UpstreamFailure.CERT_INVALID);
        assertThat(UpstreamTls.classify(new SSLHandshakeException(
                "error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED")))
                .isEqualTo(UpstreamFailure.CERT_INVALID);
        assertThat(UpstreamTls.classify(new SSLHandshakeException("Received fatal alert: protocol_version")))
                .isEqualTo(UpstreamFailure.TLS_FAILED);
        assertThat(UpstreamTls.classify(new ClosedChannelException())).isEqualTo(UpstreamFailure.TLS_FAILED);
        assertThat(UpstreamTls.classify(null)).isEqualTo(UpstreamFailure.TLS_FAILED);
    }

    // --- helpers -------------------------------------------------------------------------------

    private void assertCertInvalid(TlsProvider provider, Issued served, String host, String why) throws Exception {
        try (TestServer origin = origin(served)) {
            Throwable failure = handshake(upstream(provider), host, origin.port());
            assertThat(failure).as("handshake must fail").isNotNull();
            assertThat(chain(failure)).as("the cause names the problem").contains(why);
            assertThat(UpstreamTls.classify(failure)).as(failure.toString()).isEqualTo(UpstreamFailure.CERT_INVALID);
        }
    }

    private static String chain(Throwable failure) {
        StringBuilder causes = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            causes.append(" <- ").append(t);
        }
        return causes.toString();
    }

    private UpstreamTls upstream(TlsProvider provider) throws TlsSetupException {
        assumeTrue(provider.isAvailable(), provider + " not available here");
        return UpstreamTls.create(List.of(extraRoots), provider);
    }

    private static TestServer origin(Issued served) throws Exception {
        SslContext context = SslContextBuilder.forServer(served.privateKey(), served.certificate())
                .sslProvider(SslProvider.JDK).build();
        return TestServer.start(GROUP, ch -> context.newHandler(ch.alloc()));
    }

    /** Connects to 127.0.0.1:port as if to {@code host}; null on success, else the failure. */
    private static Throwable handshake(UpstreamTls upstream, String host, int port) throws Exception {
        SslHandler handler = upstream.newHandler(ByteBufAllocator.DEFAULT, host, port);
        new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(handler, new ServerTlsHandshakeTest.Discard());
                    }
                })
                .connect("127.0.0.1", port).sync();
        Future<?> done = handler.handshakeFuture();
        assertThat(done.await(20, TimeUnit.SECONDS)).as("handshake finished").isTrue();
        handler.closeOutbound();
        return done.cause();
    }
}
