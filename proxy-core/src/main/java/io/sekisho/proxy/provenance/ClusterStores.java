package io.sekisho.proxy.provenance;

import io.lettuce.core.RedisURI;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.net.ssl.TrustManagerFactory;

/** Builds the shared token store {@code cluster:} names. */
public final class ClusterStores {
    private ClusterStores() {
    }

    /** A secret of {@code cluster:} that cannot be read (its message names where, never what). */
    public static final class SetupException extends Exception {
        private static final long serialVersionUID = 1L;

        SetupException(String message) {
            super(message);
        }
    }

    /** Starts connecting to the store (start does not wait for it) and returns the policy's ledger over it. */
    public static SharedTokenLedger start(SekishoConfig.Cluster cluster, UnaryOperator<String> env, Clock clock)
            throws SetupException {
        byte[] key = read("cluster.tokenKey", cluster.tokenKey(), env);
        byte[] password = cluster.password() == null ? null : read("cluster.password", cluster.password(), env);
        RedisURI uri = RedisURI.create(cluster.store());
        if (password != null) {
            CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(password));
            char[] chars = new char[decoded.remaining()];
            decoded.get(chars);
            String user = cluster.username();
            if (user == null) {
                uri.setAuthentication(chars);
            } else {
                uri.setAuthentication(user, chars);
            }
            Arrays.fill(password, (byte) 0);
        }
        uri.setClientName("sekisho");
        try {
            if (key.length < 16) {
                throw new SetupException(
                        "cluster.tokenKey: too short; use at least 16 bytes (e.g. openssl rand -hex 32)");
            }
            Path bundle = cluster.caCertificates();
            @Nullable TrustManagerFactory trust = bundle == null ? null : trust(bundle);
            return new SharedTokenLedger(RedisTokenStore.start(uri, key, trust, clock), System::nanoTime);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** {@code cluster.caCertificates}: every certificate of the PEM bundle, and nothing else, is a root. */
    static TrustManagerFactory trust(Path bundle) throws SetupException {
        String name = "cluster.caCertificates: " + bundle;
        try (InputStream in = Files.newInputStream(bundle)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new SetupException(name + ": no PEM certificate in it");
            }
            KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
            roots.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                roots.setCertificateEntry("store-ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(roots);
            return tmf;
        } catch (IOException e) {
            throw new SetupException(name + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new SetupException(name + ": not a PEM bundle of CA certificates (" + e.getMessage() + ")");
        }
    }

    private static byte[] read(String name, SekishoConfig.Secret secret, UnaryOperator<String> env)
            throws SetupException {
        byte[] bytes;
        if (secret.env() != null) {
            String value = env.apply(secret.env());
            if (value == null) {
                throw new SetupException(name + ": environment variable " + secret.env() + " is not set");
            }
            bytes = value.getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                bytes = Files.readAllBytes(Objects.requireNonNull(secret.file(), "env or file"));
            } catch (IOException e) {
                throw new SetupException(name + ": cannot read " + secret.file() + " (" + e.getClass().getSimpleName()
                        + ")");
            }
        }
        int end = bytes.length;
        // A file written by `echo` ends with a newline that is not part of the secret.
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        byte[] out = Arrays.copyOf(bytes, end);
        Arrays.fill(bytes, (byte) 0);
        return out;
    }
}
