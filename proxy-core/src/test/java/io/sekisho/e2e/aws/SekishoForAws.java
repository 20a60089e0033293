package io.sekisho.e2e.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.e2e.FakeAwsOrigin;
import io.sekisho.e2e.TestPki;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import io.sekisho.proxy.aws.KeyLookupAsync;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real proxy as deployed for AWS: the configuration is a file ({@link #configFile()}) read by
 * the real loader
 * ({@code domains.allow}, {@code aws.accounts.allow} = 111122223333 and 444455556666,
 * {@code tls.ca} = a MITM CA made like {@code sekisho ca init}, {@code upstream.resolve} sending
 * every AWS name to {@link FakeAwsOrigin}, {@code upstream.trustedCertificates} = the origin's
 * CA), the production engine ({@link StandardPolicy}) and the standard block responses. Clients
 * trust {@link #caPem()} only.
 */
public final class SekishoForAws implements AutoCloseable {
    public static final String ALLOWED_ACCOUNTS = "[\"111122223333\", \"444455556666\"]";

    private final FakeAwsOrigin origin;
    private final ProxyFixture proxy;
    private final Path caPem;
    private final X509Certificate caCertificate;
    private final Path configFile;

    private SekishoForAws(FakeAwsOrigin origin, ProxyFixture proxy, Path caPem, X509Certificate caCertificate,
            Path configFile) {
        this.origin = origin;
        this.proxy = proxy;
        this.caPem = caPem;
        this.caCertificate = caCertificate;
        this.configFile = configFile;
    }

    public static SekishoForAws start(Path dir) {
        return start(dir, KeyLookup.NONE, KeyLookupAsync.NONE);
    }

    /** With a key lookup: {@code cached} for the policy, {@code async} for the forward path. */
    public static SekishoForAws start(Path dir, KeyLookup cached, KeyLookupAsync async) {
        return start(dir, cached, async, Extra.NONE);
    }

    /**
     * With more configuration: {@code topYaml} appended at the top level (e.g. {@code auth:}),
     * {@code awsYaml} inside {@code aws:} (e.g. {@code sts:}, indented by two).
     */
    public static SekishoForAws start(Path dir, String topYaml, String awsYaml) {
        return start(dir, new Extra(List.of(), awsYaml, topYaml));
    }

    /**
     * More of the configuration: {@code domains} entries added to the allow list (each also sent
     * to the origin by {@code upstream.resolve}), YAML lines added under {@code aws:} (indented
     * by two spaces, e.g. {@code "  sts:\n    assumeRole: …"}) and YAML at the top level.
     */
    public record Extra(List<String> domains, String aws, String top) {
        public static final Extra NONE = new Extra(List.of(), "", "");

        public Extra(List<String> domains, String aws) {
            this(domains, aws, "");
        }
    }

    public static SekishoForAws start(Path dir, Extra extra) {
        return start(dir, KeyLookup.NONE, KeyLookupAsync.NONE, extra);
    }

    private static SekishoForAws start(Path dir, KeyLookup cached, KeyLookupAsync async, Extra extra) {
        TestPki originPki = TestPki.create(dir.resolve("origin-pki"));
        FakeAwsOrigin origin = FakeAwsOrigin.start(originPki);
        try {
            CaInit.Summary ca = new CaInit(Clock.systemUTC(), new SecureRandom())
                    .create(dir.resolve("proxy-ca"), KeyType.EC_P256, "sekisho e2e");
            X509Certificate cert;
            try (InputStream in = Files.newInputStream(ca.pemFile())) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            Path file = Files.writeString(dir.resolve("sekisho.yaml"),
                    yaml(origin, originPki.caPem(), ca.pemFile(), ca.keyFile(), extra) + extra.top());
            LoadResult r = ConfigLoader.load(file);
            assertThat(r.errors()).as(Files.readString(file)).isEmpty();
            SekishoConfig config = r.config();
            ProxyFixture proxy = ProxyFixture.start(config,
                    StandardPolicy.create(config.policy(), config.policies(), cached, new InMemorySigninTokenStore(),
                            Clock.systemUTC()),
                    new FakeResolver(), b -> b.blocks(BlockResponses.standard("IT Security Desk, ext. 4321"))
                            .keyLookup(async));
            return new SekishoForAws(origin, proxy, ca.pemFile(), cert, file);
        } catch (IOException e) {
            origin.close();
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | RuntimeException e) {
            origin.close();
            throw new IllegalStateException(e);
        }
    }

    private static String yaml(FakeAwsOrigin origin, Path originCa, Path caPem, Path caKey, Extra extra) {
        StringBuilder yaml = new StringBuilder("version: 1\nlisten: \"127.0.0.1:0\"\naudit:\n  file: \"-\"\n"
                + "domains:\n  allow:\n    - .amazonaws.com\n    - .aws.amazon.com\n");
        for (String d : extra.domains()) {
            yaml.append("    - \"").append(d).append("\"\n");
        }
        yaml.append("upstream:\n  trustedCertificates:\n    - \"" + originCa + "\"\n  resolve:\n");
        Map<String, String> resolve = new LinkedHashMap<>(origin.resolvePatterns());
        for (String d : extra.domains()) {
            resolve.putIfAbsent(d, "127.0.0.1:" + origin.httpsPort());
        }
        for (Map.Entry<String, String> e : resolve.entrySet()) {
            yaml.append("    \"").append(e.getKey()).append("\": \"").append(e.getValue()).append("\"\n");
        }
        yaml.append("tls:\n  ca:\n    certificate: \"").append(caPem).append("\"\n    privateKey: \"").append(caKey)
                .append("\"\naws:\n  accounts:\n    allow: ").append(ALLOWED_ACCOUNTS).append("\n").append(extra.aws());
        return yaml.toString();
    }

    public FakeAwsOrigin origin() {
        return origin;
    }

    public ProxyFixture proxy() {
        return proxy;
    }

    public int port() {
        return proxy.port();
    }

    /** The file the configuration was loaded from ({@code sekisho.yaml} in the test's directory). */
    public Path configFile() {
        return configFile;
    }

    /** The MITM CA clients trust (AWS_CA_BUNDLE, curl --cacert). */
    public Path caPem() {
        return caPem;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    @Override
    public void close() {
        proxy.close();
        origin.close();
    }
}
