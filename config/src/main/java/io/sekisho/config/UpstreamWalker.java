package io.sekisho.config;

import io.sekisho.config.Fields.Located;
import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.config.SekishoConfig.ResolveRule;
import io.sekisho.config.SekishoConfig.Upstream;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.domain.DomainPattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** The {@code upstream:} section: address overrides, a parent proxy, extra roots, the pool. */
final class UpstreamWalker {
    static final List<String> KEYS = List.of("resolve", "parent", "trustedCertificates", "pool");
    static final List<String> POOL_KEYS = List.of("maxPerHost", "idleTimeout");
    static final int DEFAULT_MAX_PER_HOST = 64;
    static final Duration DEFAULT_POOL_IDLE = Duration.ofSeconds(60);

    private final Problems problems;
    private final Fields fields;

    UpstreamWalker(Problems problems, Fields fields) {
        this.problems = problems;
        this.fields = fields;
    }

    static Upstream defaults() {
        return new Upstream(List.of(), null, List.of(), DEFAULT_MAX_PER_HOST, DEFAULT_POOL_IDLE);
    }

    Upstream walk(Section upstream) {
        List<ResolveRule> resolve = resolve(upstream);
        HostPort parent = parent(upstream);
        List<Path> trusted = new ArrayList<>();
        List<Node> certs = fields.list(upstream, "trustedCertificates");
        if (certs != null) {
            for (int i = 0; i < certs.size(); i++) {
                Path p = fields.existingFile(upstream.path("trustedCertificates") + "[" + i + "]", certs.get(i));
                if (p != null) {
                    trusted.add(p);
                }
            }
        }
        Section pool = upstream.section("pool", POOL_KEYS);
        int maxPerHost = fields.integer(pool, "maxPerHost", DEFAULT_MAX_PER_HOST, 1, 10_000);
        Duration idle = fields.duration(pool, "idleTimeout", DEFAULT_POOL_IDLE,
                Duration.ofSeconds(1), Duration.ofHours(1));
        return new Upstream(resolve, parent, trusted, maxPerHost, idle);
    }

    /**
     * Host pattern → IP:port. Keys use the domain grammar; two keys that normalise to the same
     * pattern would make the target depend on file order, so that is an error, not a warning.
     */
    private List<ResolveRule> resolve(Section upstream) {
        List<ResolveRule> rules = new ArrayList<>();
        List<NodeTuple> entries = fields.map(upstream, "resolve");
        if (entries == null) {
            return rules;
        }
        Map<DomainPattern, Located<DomainPattern>> seen = new HashMap<>();
        for (NodeTuple entry : entries) {
            Node keyNode = entry.getKeyNode();
            String path = upstream.path("resolve") + "[" + ((ScalarNode) keyNode).getValue() + "]";
            DomainPattern pattern = fields.domain(path, keyNode);
            HostPort target = target(path, entry.getValueNode());
            if (pattern == null || target == null) {
                continue;
            }
            if (pattern.kind() == DomainPattern.Kind.CIDR) {
                problems.error(keyNode, path + ": a resolve key names hosts, not addresses;"
                        + " connections to an IP literal already go to that address");
                continue;
            }
            Located<DomainPattern> earlier = seen.putIfAbsent(pattern, new Located<>(pattern, keyNode, path));
            if (earlier != null) {
                problems.error(keyNode, path + ": the same host pattern as `" + earlier.value().text()
                        + "` at line " + (earlier.node().getStartMark().getLine() + 1) + "; keep one");
                continue;
            }
            rules.add(new ResolveRule(pattern, target));
        }
        return rules;
    }

    private @Nullable HostPort target(String path, Node node) {
        String text = fields.text(path, node);
        if (text == null) {
            return null;
        }
        try {
            return HostPorts.parse(text, true, 1);
        } catch (IllegalArgumentException e) {
            problems.error(node, path + ": " + e.getMessage());
            return null;
        }
    }

    /** {@code parent: null} is the documented default, so an explicit null is accepted here. */
    private @Nullable HostPort parent(Section upstream) {
        Node node = upstream.value("parent");
        if (node == null || Nodes.isNull(node)) {
            return null;
        }
        String text = fields.text(upstream.path("parent"), node);
        if (text == null) {
            return null;
        }
        try {
            return HostPorts.parse(text, false, 1);
        } catch (IllegalArgumentException e) {
            problems.error(node, upstream.path("parent") + ": " + e.getMessage());
            return null;
        }
    }
}
