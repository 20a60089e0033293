package io.sekisho.config;

import io.sekisho.config.SekishoConfig.Cluster;
import io.sekisho.config.SekishoConfig.Secret;
import io.sekisho.policy.Nullable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The {@code cluster:} section: where a group of instances shares sign-in token provenance.
 * Absent, each instance keeps it in memory. {@code store} is a Redis-protocol URI (Valkey or
 * Redis), {@code redis://host[:port][/db]} or {@code rediss://…} for TLS; its password is never
 * in the URI (a YAML file is copied and pasted), but in {@code password: {env|file}}.
 * {@code tokenKey} is the HMAC key every instance of the group shares, required with a store.
 * {@code caCertificates} is a PEM bundle of the CA certificates a {@code rediss://} store's
 * certificate must chain to; given, it replaces the JDK's default roots for the store (a store is
 * an internal service with its own CA, never a public one); it makes no sense without TLS.
 */
final class ClusterWalker {
    static final List<String> KEYS = List.of("store", "tokenKey", "username", "password", "caCertificates");
    static final List<String> SCHEMES = List.of("redis", "rediss");

    private final Problems problems;
    private final Fields fields;

    ClusterWalker(Problems problems, Fields fields) {
        this.problems = problems;
        this.fields = fields;
    }

    /** The shared store's settings, or null when provenance stays in memory (or on an error). */
    @Nullable Cluster walk(Section cluster) {
        if (!cluster.present()) {
            return null;
        }
        Node storeNode = cluster.value("store");
        URI store = storeNode == null ? null : store(cluster.path("store"), storeNode);
        SecretFields secrets = new SecretFields(problems, fields);
        Secret tokenKey = secrets.secret(cluster, "tokenKey");
        Secret password = secrets.secret(cluster, "password");
        String username = fields.string(cluster, "username", "");
        Path caCertificates = cluster.has("caCertificates")
                ? fields.existingFile(cluster.path("caCertificates"), cluster.value("caCertificates")) : null;
        if (storeNode == null) {
            problems.error(cluster.anchor(), "cluster: `store` is required, e.g. store: redis://valkey:6379;"
                    + " without a cluster section each instance keeps sign-in provenance in memory");
            return null;
        }
        if (tokenKey == null && !cluster.has("tokenKey")) {
            problems.error(cluster.anchor(), "cluster: `tokenKey` is required with a store: the HMAC key, shared by"
                    + " every instance, that names tokens in the store ({env: NAME} or {file: PATH})");
        }
        if (!username.isEmpty() && !cluster.has("password")) {
            problems.error(cluster.keyNode("username"), cluster.path("username") + ": needs a `password`");
        }
        if (store != null && caCertificates != null && !"rediss".equalsIgnoreCase(store.getScheme())) {
            problems.error(cluster.keyNode("caCertificates"), cluster.path("caCertificates")
                    + ": is read only for a TLS store; write store: rediss://host:port");
        }
        if (store == null || tokenKey == null) {
            return null;
        }
        return new Cluster(store, tokenKey, username.isEmpty() ? null : username, password, caCertificates);
    }

    private @Nullable URI store(String path, Node node) {
        String text = fields.text(path, node);
        if (text == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            problems.error(node, path + ": not a URI; expected redis://host:port or rediss://host:port");
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            problems.error(node, path + ": expected redis://host:port or rediss://host:port (TLS);"
                    + " Sentinel and Cluster addressing are not supported (docs/deployment.md)");
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            // Never repeat the URI: it holds what may be a password.
            problems.error(node, path + ": a password is never written in the URI; use cluster.username and"
                    + " cluster.password: {env: NAME} or {file: PATH}");
            return null;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            problems.error(node, path + ": has no host");
            return null;
        }
        String db = uri.getPath() == null ? "" : uri.getPath();
        if (!db.isEmpty() && !db.matches("/\\d{1,2}")) {
            problems.error(node, path + ": the path, if any, is a database number such as /0");
            return null;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problems.error(node, path + ": no query or fragment is read here; remove them");
            return null;
        }
        return uri;
    }
}
