package io.sekisho.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Policy;
import io.sekisho.proxy.audit.AuditLog;
import io.sekisho.proxy.aws.KeyLookupAsync;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.connect.TunnelRelayHandler;
import io.sekisho.proxy.http1.DrainEvent;
import io.sekisho.proxy.pipeline.ClientPipelineInitializer;
import io.sekisho.proxy.provenance.ProvenanceAccess;
import io.sekisho.proxy.tls.Interception;
import io.sekisho.proxy.tls.TlsServices;
import io.sekisho.proxy.upstream.HostResolver;
import io.sekisho.proxy.upstream.Transport;
import io.sekisho.tls.TlsProvider;
import io.sekisho.tls.TlsSetupException;
import io.sekisho.tls.UpstreamTls;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening proxy: worker event loops (NIO, {@code upstream/Transport}) that also accept, the client
 * pipeline of {@link ClientPipelineInitializer}, and graceful shutdown.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    // Netty 4.2 deprecates the option for its IoHandle read path, but the NIO transport
    // used here still size reads through it (see TunnelRelayHandler.READ_SIZING).
    @SuppressWarnings("deprecation")
    private static final ChannelOption<RecvByteBufAllocator> READ_SIZING_OPTION = ChannelOption.RCVBUF_ALLOCATOR;

    private final ProxyServices services;
    private final EventLoopGroup workers;
    private final Channel listener;
    /** What start checked the TLS settings with; a reload checks a new configuration's the same way. */
    private final TlsProvider tlsProvider;
    private final UnaryOperator<String> env;
    private volatile boolean stopped;

    private ProxyServer(ProxyServices services, Builder b) throws InterruptedException {
        this.services = services;
        this.tlsProvider = b.tlsProvider;
        this.env = b.env;
        int workerThreads = b.workerThreads;
        Transport t = services.transport();
        this.workers = t.newGroup(workerThreads);
        SekishoConfig.HostPort listen = services.state().config().listen();
        try {
            // One of the worker loops accepts too. A separate acceptor thread slept and woke for
            // every new connection and woke a worker to hand it over (an eventfd write and two
            // context switches per connection); now a connection accepted by a loop that it is
            // assigned to is registered at once, and there is no thread to wake.
            this.listener = new ServerBootstrap()
                    .group(workers, workers)
                    .channel(t.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.ALLOCATOR, t.allocator())
                    .childOption(ChannelOption.ALLOCATOR, t.allocator())
                    // Nothing is read from a client until a handler asks (STYLE.md rule 8).
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // Reads that grow up to 256 KiB for tunnels (see there). Netty fixes a
                    // channel's read sizing at its first read, before the CONNECT is known; an
                    // HTTP connection's reads only grow when they fill the buffer.
                    .childOption(READ_SIZING_OPTION, TunnelRelayHandler.READ_SIZING)
                    .childHandler(new ClientPipelineInitializer(services))
                    .bind(listen.host(), listen.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        // The first read of each accepted connection is requested here, once it is registered.
        log.info("listening on {} ({} transport, {} worker threads)", address(), t.name(), workerThreads);
    }

    /**
     * Starts listening on {@code config.listen()}; port 0 picks a free port.
     *
     * @throws TlsSetupException when the CA or a trusted-certificates file cannot be used
     */
    public static ProxyServer start(Builder b) throws InterruptedException, TlsSetupException {
        RuntimeState initial = RuntimeState.of(b.config, b.policy, 1);
        TlsServices tls = startTls(b);
        ProxyServices services = new ProxyServices(initial, b.clock, new RequestIds(b.random), b.audit, b.blocks,
                b.resolver, b.transport, tls);
        services.keyLookup(b.keyLookup);
        services.provenance(b.provenance);
        try {
            return new ProxyServer(services, b);
        } catch (RuntimeException | InterruptedException e) {
            closeTls(tls);
            throw e;
        }
    }

    private static TlsServices startTls(Builder b) throws TlsSetupException {
        TlsProvider provider = b.tlsProvider;
        log.info("TLS provider: {}{}", provider.description(), provider == TlsProvider.JDK
                ? TlsProvider.openSslUnavailableReason().map(r -> " (BoringSSL unavailable: " + r + ")").orElse("")
                : "");
        UpstreamTls upstream = UpstreamTls.create(b.config.upstream().trustedCertificates(), provider);
        Interception interception = b.config.tls() == null ? null
                : Interception.start(b.config.tls(), provider, b.clock, b.secureRandom, b.env);
        return new TlsServices(interception, upstream);
    }

    private static void closeTls(TlsServices tls) {
        if (tls.interception() != null) {
            tls.interception().close();
        }
    }

    public static Builder builder(SekishoConfig config, Policy policy, AuditLog audit, HostResolver resolver) {
        return new Builder(config, policy, audit, resolver);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public ProxyServices services() {
        return services;
    }

    /**
     * Why this proxy should not be sent new clients, or null when it should: ready means the
     * configuration is loaded (it is, once the server exists), the CA is usable (configured
     * interception has a CA within its validity) and the listener is bound; a draining proxy is
     * not ready, so that a load balancer stops sending it clients while open ones finish.
     */
    public @Nullable String notReady() {
        if (stopped || services.draining()) {
            return "draining";
        }
        if (!listener.isActive()) {
            return "the listener is not bound";
        }
        if (services.state().config().tls() != null) {
            Interception interception = services.tls().interception();
            if (interception == null) {
                return "no CA";
            }
            if (!services.clock().instant().isBefore(interception.ca().notAfter())) {
                return "the CA has expired";
            }
        }
        return null;
    }

    /**
     * Applies a validated new configuration to new requests and CONNECTs. The listen address
     * cannot change without a restart.
     *
     * @throws TlsSetupException when {@code upstream.trustedCertificates} or the CA of {@code tls}
     *     fails the checks start makes (a truncated key, another CA's key, an encrypted key
     *     without its password, a wrong password…): nothing is applied
     */
    public void reload(SekishoConfig config, Policy policy) throws TlsSetupException {
        UpstreamTls.create(config.upstream().trustedCertificates(), tlsProvider);
        if (config.tls() != null) {
            Interception.check(config.tls(), services.clock(), env);
        }
        RuntimeState current = services.state();
        if (!current.config().listen().equals(config.listen())) {
            log.warn("listen changed from {} to {}: restart Sekisho to apply it; the rest of the new "
                    + "configuration is applied", current.config().listen(), config.listen());
        }
        if (!Objects.equals(current.config().tls(), config.tls())
                || !current.config().upstream().trustedCertificates().equals(config.upstream().trustedCertificates())) {
            log.warn("tls or upstream.trustedCertificates changed: restart Sekisho to apply them");
        }
        SekishoConfig.Audit was = current.config().audit();
        SekishoConfig.Audit now = config.audit();
        // onFailure is read per request and applies at once; the files and their format are opened at start.
        if (!was.equals(new SekishoConfig.Audit(now.file(), was.serveOnFailure(), now.instance(), now.accessLogFile(),
                now.accessLogFormat(), now.rotateMegabytes(), now.rotateKeep()))) {
            log.warn("audit (file, instance, accessLog, rotate) changed: restart Sekisho to apply it");
        }
        services.swap(RuntimeState.of(config, policy, current.generation() + 1));
        log.info("configuration {} applied (generation {})",
                config.source() == null ? "(built-in default)" : config.source(), current.generation() + 1);
    }

    /**
     * Graceful shutdown: stop accepting, close idle connections, let open exchanges and tunnels
     * run for up to {@code drain}, then close everything and flush the audit log.
     */
    public synchronized void shutdown(Duration drain) {
        if (stopped) {
            return;
        }
        stopped = true;
        log.info("shutting down: draining open connections for up to {} ms", drain.toMillis());
        listener.close().awaitUninterruptibly();
        services.startDraining();
        for (Channel ch : services.clientChannels()) {
            ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        }
        long deadline = System.nanoTime() + drain.toNanos();
        while (!services.clientChannels().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = services.clientChannels().size();
        if (left > 0) {
            log.info("closing {} connection(s) still open after the drain period", left);
        }
        services.clientChannels().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        services.pool().closeAll();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        closeTls(services.tls());
        services.authentication().close();
        services.audit().close();
        if (services.audit().dropped() > 0) {
            log.warn("{} audit line(s) were dropped because the audit queue was full", services.audit().dropped());
        }
        log.info("stopped");
    }

    @Override
    public void close() {
        shutdown(services.state().config().timeouts().shutdownDrain());
    }

    /** What a running proxy is built from; time, randomness and DNS are injected. */
    public static final class Builder {
        private final SekishoConfig config;
        private final Policy policy;
        private final AuditLog audit;
        private final HostResolver resolver;
        private Clock clock = Clock.systemUTC();
        private Random random = new SecureRandom();
        private BlockResponses blocks = BlockResponses.plainText();
        private Transport transport = Transport.best();
        /**
         * One event loop per available core (a container's CPU limit counts): with one core, a
         * second loop only adds switches (docs/performance.md, "The proxy on its own core").
         * -Dsekisho.workerThreads=N overrides it.
         */
        private int workerThreads = Integer.getInteger("sekisho.workerThreads",
                Runtime.getRuntime().availableProcessors());
        private TlsProvider tlsProvider = TlsProvider.preferred();
        private SecureRandom secureRandom = new SecureRandom();
        private UnaryOperator<String> env = System::getenv;
        private KeyLookupAsync keyLookup = KeyLookupAsync.NONE;
        private ProvenanceAccess provenance = ProvenanceAccess.LOCAL;

        private Builder(SekishoConfig config, Policy policy, AuditLog audit, HostResolver resolver) {
            this.config = Objects.requireNonNull(config);
            this.policy = Objects.requireNonNull(policy);
            this.audit = Objects.requireNonNull(audit);
            this.resolver = Objects.requireNonNull(resolver);
        }

        public Builder clock(Clock c) {
            clock = c;
            return this;
        }

        public Builder random(Random r) {
            random = r;
            return this;
        }

        public Builder blocks(BlockResponses b) {
            blocks = b;
            return this;
        }

        public Builder transport(Transport t) {
            transport = t;
            return this;
        }

        public Builder workerThreads(int n) {
            workerThreads = n;
            return this;
        }

        /** Which TLS implementation both sides use (default: BoringSSL when it loads, else the JDK). */
        public Builder tlsProvider(TlsProvider p) {
            tlsProvider = Objects.requireNonNull(p);
            return this;
        }

        /** Where leaf keys and serials come from. */
        public Builder secureRandom(SecureRandom r) {
            secureRandom = Objects.requireNonNull(r);
            return this;
        }

        /** Reads environment variables ({@code tls.ca.password: {env: NAME}}). */
        public Builder env(UnaryOperator<String> e) {
            env = Objects.requireNonNull(e);
            return this;
        }

        /** {@code sts:GetAccessKeyInfo} for keys the policy names ({@code Policy.keyNeedingLookup}). */
        public Builder keyLookup(KeyLookupAsync k) {
            keyLookup = Objects.requireNonNull(k);
            return this;
        }

        /** The shared sign-in token store's fetches and records (the policy was built over the same store). */
        public Builder provenance(ProvenanceAccess p) {
            provenance = Objects.requireNonNull(p);
            return this;
        }

        public ProxyServer start() throws InterruptedException, TlsSetupException {
            return ProxyServer.start(this);
        }
    }
}
