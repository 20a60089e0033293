package io.sekisho.proxy.tls;

import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.HostName;
import io.sekisho.tls.CertificateAuthority;
import io.sekisho.tls.KeyType;
import io.sekisho.tls.LeafCache;
import io.sekisho.tls.LeafMinter;
import io.sekisho.tls.ServerTls;
import io.sekisho.tls.TlsProvider;
import io.sekisho.tls.TlsSetupException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The corporate CA and the leaf certificates minted from it: what an intercepted CONNECT needs
 * to terminate the client's TLS. Built once at start-up from {@code tls.*}; a CA that cannot be
 * used stops the start ({@link TlsSetupException} with a one-line message naming the problem),
 * and a reload whose CA fails the same checks is refused ({@link #check}). A reload does not
 * replace it: changing the CA needs a restart.
 */
public final class Interception implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Interception.class);
    /** docs/ca.md: operators are warned a month ahead, time enough to roll the intermediate. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    /**
     * Minting is one key generation and one signature (~1 ms for EC P-256): two threads keep a
     * burst of new hosts from queueing behind each other without taking the event loops' cores.
     */
    private static final int MINT_THREADS = 2;

    private final CertificateAuthority ca;
    private final LeafCache leaves;
    private final ExecutorService minting;
    private final TlsProvider provider;

    private Interception(CertificateAuthority ca, LeafCache leaves, ExecutorService minting, TlsProvider provider) {
        this.ca = ca;
        this.leaves = leaves;
        this.minting = minting;
        this.provider = provider;
    }

    /**
     * Loads and checks the CA and prepares the leaf cache.
     *
     * @param env reads an environment variable ({@code System::getenv} in production)
     */
    public static Interception start(SekishoConfig.Tls tls, TlsProvider provider, Clock clock, SecureRandom random,
            UnaryOperator<String> env) throws TlsSetupException {
        CertificateAuthority ca = loadCa(tls, clock, env);
        if (ca.expiresWithin(EXPIRY_WARNING)) {
            log.warn("the interception CA {} expires on {}: issue a new one before then (docs/ca.md)", ca.subject(),
                    ca.notAfter());
        }
        KeyType keyType = KeyType.fromConfigName(tls.leafKeyType());
        LeafMinter minter = new LeafMinter(ca, keyType, tls.leafLifetime(), clock, random);
        ExecutorService minting = LeafCache.newMintExecutor(MINT_THREADS);
        LeafCache leaves = new LeafCache(LeafCache.minting(minter, provider), minting, tls.leafCacheSize(), clock);
        log.info("TLS interception on: CA {} (SHA-256 {}, valid until {}); leaves {} for {}, cache {}", ca.subject(),
                ca.sha256Fingerprint(), ca.notAfter(), keyType.configName(), tls.leafLifetime(), tls.leafCacheSize());
        return new Interception(ca, leaves, minting, provider);
    }

    /**
     * Loads and checks the CA of {@code tls} exactly as {@link #start} does, and keeps nothing: a
     * reload refuses a configuration whose CA start would refuse.
     */
    public static void check(SekishoConfig.Tls tls, Clock clock, UnaryOperator<String> env) throws TlsSetupException {
        loadCa(tls, clock, env);
    }

    /** The password is cleared as soon as the key is decrypted; it is never logged. */
    static CertificateAuthority loadCa(SekishoConfig.Tls tls, Clock clock, UnaryOperator<String> env)
            throws TlsSetupException {
        char[] password = Secrets.read(tls.password(), env);
        try {
            if (tls.caPkcs12() != null) {
                return CertificateAuthority.fromPkcs12(tls.caPkcs12(), password, clock);
            }
            // The loader accepts tls.ca with either pkcs12 or both PEM files.
            return CertificateAuthority.fromPem(Objects.requireNonNull(tls.caCertificate(), "tls.ca.certificate"),
                    Objects.requireNonNull(tls.caPrivateKey(), "tls.ca.privateKey"), password, clock);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /**
     * The client-facing TLS for {@code host}, minted on a minting thread the first time (one mint
     * per host however many CONNECTs ask at once). Completes off the event loop.
     */
    public CompletableFuture<ServerTls> serverTlsFor(HostName host) {
        return leaves.serverTlsFor(host.value());
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public TlsProvider provider() {
        return provider;
    }

    /** Leaves minted since start (one per host and expiry): a metric, and proof of single-flight minting. */
    public long mintCount() {
        return leaves.mintCount();
    }

    /** Leaf cache lookups answered from the cache. */
    public long leafCacheHits() {
        return leaves.hits();
    }

    /** Leaf cache lookups that started a mint. */
    public long leafCacheMisses() {
        return leaves.misses();
    }

    @Override
    public void close() {
        minting.shutdownNow();
    }
}
