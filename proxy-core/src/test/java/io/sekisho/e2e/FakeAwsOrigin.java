package io.sekisho.e2e;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An in-process origin that answers for every AWS host name the e2e tests use, on 127.0.0.1, and
 * records every request as received. {@link #httpsPort()} answers TLS and plain HTTP alike (told
 * apart by the first bytes), so one {@code upstream.resolve} target serves both schemes;
 * {@link #httpPort()} is a plain-HTTP-only listener.
 *
 * <p>The HTTPS listener picks its certificate by SNI: a leaf for exactly that name is signed by the
 * test CA on first use, so one listener serves {@code bucket.s3.us-east-1.amazonaws.com},
 * {@code corp.awsapps.com} and {@code eu-west-1.signin.aws.amazon.com} alike. A client that sends
 * no SNI (an IP literal) gets a leaf for {@code localhost} and {@code 127.0.0.1}.
 * {@link CertificateMode} turns the listener into a bad upstream for the proxy's TLS checks.
 *
 * <p>Requests are routed by host name (portal, sign-in, console) and otherwise by the SigV4
 * credential scope, so a client pointed at {@code https://127.0.0.1:port} still reaches the right
 * service fake. Overrides added with {@link #override} take precedence over the fakes.
 */
public final class FakeAwsOrigin implements AutoCloseable {

    /** Which certificate the HTTPS listener presents. */
    public enum CertificateMode { VALID, EXPIRED, WRONG_HOST, SELF_SIGNED }

    /** How the origin misbehaves after it has recorded a request. */
    public enum Fault { NONE, NO_RESPONSE, CLOSE_WITHOUT_RESPONSE }

    private static final int MAX_LINE_AND_HEADERS = 64 * 1024;

    private final TestPki pki;
    private final Clock clock;
    private final CertificateMode certificateMode;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Map<String, SslContext> contexts = new ConcurrentHashMap<>();
    private final List<RecordedRequest> recorded = new CopyOnWriteArrayList<>();
    private final List<Map.Entry<Predicate<RecordedRequest>, Function<RecordedRequest, FakeResponse>>> overrides =
            new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final List<String> connectionErrors = new CopyOnWriteArrayList<>();
    private final FakeS3 s3;
    private final FakeQueryApis queryApis;
    private final FakeJsonApis jsonApis;
    private final FakeIdentityCenter identityCenter;
    private final FakeSignin signin;
    private final FakeConsole console;
    private final FakeSamlIdp samlIdp;
    private volatile Fault fault = Fault.NONE;
    private Channel httpsChannel;
    private Channel httpChannel;

    private FakeAwsOrigin(Builder builder) {
        this.pki = builder.pki;
        this.clock = builder.clock;
        this.certificateMode = builder.certificateMode;
        this.s3 = new FakeS3(clock);
        this.queryApis = new FakeQueryApis(clock);
        this.jsonApis = new FakeJsonApis();
        this.signin = new FakeSignin(builder.random);
        this.identityCenter = new FakeIdentityCenter(builder.identityCenterRegion, builder.random, clock, signin);
        this.console = new FakeConsole();
        this.samlIdp = new FakeSamlIdp(builder.idpHost, clock);
    }

    public static Builder builder(TestPki pki) {
        return new Builder(pki);
    }

    /** Starts an origin with default settings (valid certificates, Identity Center in eu-west-1). */
    public static FakeAwsOrigin start(TestPki pki) {
        return builder(pki).start();
    }

    /** Builder for an origin; every setting has a default. */
    public static final class Builder {
        private final TestPki pki;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();
        private CertificateMode certificateMode = CertificateMode.VALID;
        private String identityCenterRegion = "eu-west-1";
        private String idpHost = FakeSamlIdp.DEFAULT_HOST;

        private Builder(TestPki pki) {
            this.pki = pki;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder random(SecureRandom value) {
            this.random = value;
            return this;
        }

        public Builder certificateMode(CertificateMode value) {
            this.certificateMode = value;
            return this;
        }

        /** Region of the portal API, OIDC and the regional sign-in host the portal sends browsers to. */
        public Builder identityCenterRegion(String value) {
            this.identityCenterRegion = value;
            return this;
        }

        /** Host name of the company's SAML IdP page that auto-posts assertions to AWS. */
        public Builder samlIdpHost(String value) {
            this.idpHost = value;
            return this;
        }

        public FakeAwsOrigin start() {
            FakeAwsOrigin origin = new FakeAwsOrigin(this);
            origin.bind();
            return origin;
        }
    }

    private void bind() {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        httpsChannel = bootstrap(true).bind(loopback).syncUninterruptibly().channel();
        httpChannel = bootstrap(false).bind(loopback).syncUninterruptibly().channel();
    }

    private ServerBootstrap bootstrap(boolean tls) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (tls) {
                            channel.pipeline().addLast("detect", new TlsOrPlainDetector(
                                    new SniHandler(FakeAwsOrigin.this::contextFor)));
                        }
                        channel.pipeline().addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                                .setMaxInitialLineLength(MAX_LINE_AND_HEADERS).setMaxHeaderSize(MAX_LINE_AND_HEADERS)));
                        channel.pipeline().addLast("record", new OriginChannelHandler(FakeAwsOrigin.this));
                    }
                });
    }

    private SslContext contextFor(String sni) {
        String host = sni == null ? "" : sni;
        return contexts.computeIfAbsent(certificateMode + "|" + host, key -> leafFor(host).serverContext());
    }

    private TestPki.Leaf leafFor(String host) {
        String[] names = host.isEmpty() ? new String[] {"localhost", "127.0.0.1"} : new String[] {host};
        return switch (certificateMode) {
            case VALID -> pki.leaf(names);
            case EXPIRED -> pki.expiredLeaf(names);
            case WRONG_HOST -> pki.wrongHostLeaf();
            case SELF_SIGNED -> pki.selfSignedLeaf(names);
        };
    }

    public int httpsPort() {
        return ((InetSocketAddress) httpsChannel.localAddress()).getPort();
    }

    public int httpPort() {
        return ((InetSocketAddress) httpChannel.localAddress()).getPort();
    }

    /** The CA a client (or the proxy's upstream side) must trust to talk to this origin. */
    public TestPki pki() {
        return pki;
    }

    /**
     * {@code host -> 127.0.0.1:httpsPort} for each name: the shape of the proxy's
     * {@code upstream.resolve} and of curl's {@code --resolve}.
     */
    public Map<String, String> resolveHttps(List<String> hosts) {
        Map<String, String> map = new LinkedHashMap<>();
        hosts.forEach(host -> map.put(host, "127.0.0.1:" + httpsPort()));
        return map;
    }

    /** Host patterns (Sekisho's domain grammar) covering every name the fakes answer for. */
    public static final List<String> SERVED_PATTERNS = List.of(".amazonaws.com", ".aws.amazon.com", ".awsapps.com",
            ".app.aws", ".signin.aws", FakeSamlIdp.DEFAULT_HOST);

    /**
     * {@code pattern -> 127.0.0.1:httpsPort} for {@link #SERVED_PATTERNS} plus this origin's IdP
     * host: the proxy's {@code upstream.resolve} section for an e2e test.
     */
    public Map<String, String> resolvePatterns() {
        Map<String, String> map = new LinkedHashMap<>();
        SERVED_PATTERNS.forEach(pattern -> map.put(pattern, "127.0.0.1:" + httpsPort()));
        map.put(samlIdp.host(), "127.0.0.1:" + httpsPort());
        return map;
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    /** Requests whose Host (or SNI) is the given name, case-insensitive. */
    public List<RecordedRequest> requestsTo(String host) {
        return recorded.stream().filter(r -> r.host().equalsIgnoreCase(host)).toList();
    }

    public Optional<RecordedRequest> lastRequest() {
        List<RecordedRequest> all = requests();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public void clearRequests() {
        recorded.clear();
    }

    /** Exceptions that closed a connection (TLS handshake failures, decoder errors), as text, with causes. */
    public List<String> connectionErrors() {
        return List.copyOf(connectionErrors);
    }

    void connectionError(Throwable cause) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            text.append(text.length() == 0 ? "" : " <- ").append(t);
        }
        connectionErrors.add(text.toString());
    }

    public void fault(Fault value) {
        this.fault = value;
    }

    Fault fault() {
        return fault;
    }

    /** Answers matching requests with {@code responder} instead of the fakes (newest first). */
    public void override(Predicate<RecordedRequest> matcher, Function<RecordedRequest, FakeResponse> responder) {
        overrides.add(0, Map.entry(matcher, responder));
    }

    public FakeS3 s3() {
        return s3;
    }

    public FakeIdentityCenter identityCenter() {
        return identityCenter;
    }

    public FakeSignin signin() {
        return signin;
    }

    public FakeSamlIdp samlIdp() {
        return samlIdp;
    }

    long nextSequence() {
        return sequence.incrementAndGet();
    }

    Clock clock() {
        return clock;
    }

    /** Records the request, then answers it; called on an event loop, so fakes never block. */
    FakeResponse handle(RecordedRequest request) {
        recorded.add(request);
        for (Map.Entry<Predicate<RecordedRequest>, Function<RecordedRequest, FakeResponse>> o : overrides) {
            if (o.getKey().test(request)) {
                return o.getValue().apply(request);
            }
        }
        try {
            return route(request);
        } catch (RuntimeException e) {
            // A broken fake must be loud in the test, not look like an AWS answer.
            return FakeResponse.of(500, "text/plain", "FakeAwsOrigin failed: " + e);
        }
    }

    private FakeResponse route(RecordedRequest request) {
        String host = request.host();
        if (samlIdp.serves(host)) {
            return samlIdp.handle(request);
        }
        if (identityCenter.serves(host)) {
            return identityCenter.handle(request);
        }
        if (FakeSignin.serves(host)) {
            return signin.handle(request);
        }
        if (FakeConsole.serves(host)) {
            return console.handle(request);
        }
        return switch (serviceOf(request)) {
            case "s3" -> s3.handle(request);
            case "json" -> jsonApis.handle(request);
            default -> queryApis.handle(request);
        };
    }

    /** "s3", "json" (X-Amz-Target protocols) or a Query-protocol service name. */
    static String serviceOf(RecordedRequest request) {
        if (request.header("X-Amz-Target").isPresent()) {
            return "json";
        }
        Optional<String> signed = request.signingService();
        if (signed.isPresent()) {
            return signed.get().equals("s3") || signed.get().equals("s3-object-lambda") ? "s3" : signed.get();
        }
        List<String> labels = List.of(request.host().split("\\."));
        if (labels.stream().anyMatch(l -> l.equals("s3") || l.startsWith("s3-"))) {
            return "s3";
        }
        if (request.parameters().containsKey("Action")) {
            return labels.get(0);
        }
        // Unsigned, no Action, on an address: S3 is the only REST-XML API these fakes serve.
        return "s3";
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
