package io.sekisho.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A minted leaf: its own private key and the chain served to clients (leaf, the CA, then the
 * CA's own chain). The key stays inside this package; {@link #toString()} never shows it.
 */
public final class Leaf {

    private final String host;
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    Leaf(String host, PrivateKey privateKey, List<X509Certificate> chain) {
        this.host = host;
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /** The host the leaf was minted for, exactly as given to the minter. */
    public String host() {
        return host;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Leaf first, then the CA and any intermediates above it. */
    public List<X509Certificate> chain() {
        return chain;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        X509Certificate leaf = certificate();
        return "Leaf[host=" + host + ", serial=" + leaf.getSerialNumber().toString(16)
                + ", notAfter=" + leaf.getNotAfter().toInstant() + "]";
    }
}
