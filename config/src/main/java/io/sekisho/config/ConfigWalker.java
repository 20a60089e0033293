package io.sekisho.config;

import io.sekisho.config.Fields.Located;
import io.sekisho.config.SekishoConfig.Audit;
import io.sekisho.config.SekishoConfig.Cluster;
import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.config.SekishoConfig.Limits;
import io.sekisho.config.SekishoConfig.Timeouts;
import io.sekisho.config.SekishoConfig.Upstream;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.PolicyEntry;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.domain.DomainPattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Stage two and three (STYLE.md rule 10): walks the node tree along the schema, records every
 * problem, and builds the immutable records only when there is no error. Defaults live here
 * and in the section walkers, and docs/configuration.md lists the same values.
 */
final class ConfigWalker {
    static final List<String> KEYS = List.of("version", "listen", "admin", "mode", "audit", "domains", "ports",
            "upstream", "timeouts", "limits", "inspection", "tls", "aws", "blockPage",
            "cluster", "clients", "auth", "pac", "policies");
    static final List<String> TIMEOUT_KEYS = List.of(
            "connect", "tlsHandshake", "requestHeader", "idle", "upstreamResponse", "shutdownDrain", "requestBody");
    static final List<String> LIMIT_KEYS = List.of("maxHeaderBytes", "maxHeaderCount", "maxInitialLineBytes",
            "maxConnections", "maxConnectionsPerClient", "maxPendingHeadBytes", "minRequestBodyRate",
            "requestBodyRateWindow");
    static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 3128);
    /** Loopback, so that only the host (or the pod) reaches /metrics unless the operator opens it. */
    static final HostPort DEFAULT_ADMIN_LISTEN = new HostPort("127.0.0.1", 9128);
    static final Timeouts DEFAULT_TIMEOUTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ofSeconds(60), Duration.ofSeconds(10),
            Duration.ofHours(1));
    /**
     * Connection caps as Envoy's overload manager and Squid's maxconn ACL are usually set: far
     * above what the terminals behind one proxy open (a browser keeps 6 per host, tens in all),
     * low enough that a flood meets the cap before the file-descriptor limit. The head budget is
     * a thousand full-size heads; the body rate is 1 KiB/s (Kestrel's is 240 B/s, Apache's
     * mod_reqtimeout 500 B/s), measured over 10 s.
     */
    static final Limits DEFAULT_LIMITS = new Limits(65_536, 128, 8_192, 10_000, 1_000, 64 * 1024 * 1024, 1_024,
            Duration.ofSeconds(10));
    static final int DEFAULT_INSPECT_BODY_BYTES = 65_536;
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    private static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    private final Problems problems;
    private final Fields fields;

    ConfigWalker(Problems problems, Path baseDir) {
        this.problems = problems;
        this.fields = new Fields(problems, baseDir);
    }

    /** The config, or null when any error was found (all of them are in {@code problems}). */
    @Nullable SekishoConfig walk(@Nullable Node root, Path source) {
        if (root == null || Nodes.isNull(root)) {
            problems.add(1, 1, Problem.Severity.ERROR, "the file is empty; it needs at least `version: 1`");
            return null;
        }
        if (!(root instanceof MappingNode)) {
            problems.error(root, "the top level must be a mapping of keys such as `version: 1`, found "
                    + Nodes.describe(root));
            return null;
        }
        if (!supportedVersion((MappingNode) root)) {
            return null;
        }
        Section top = Section.root(problems, (MappingNode) root, KEYS);
        version(top);
        return build(top, source);
    }

    private @Nullable SekishoConfig build(Section top, Path source) {
        HostPort listen = listen(top);
        @Nullable HostPort admin = adminListen(top.section("admin", List.of("listen")), listen);
        Mode mode = Mode.valueOf(fields.choice(top, "mode", "enforce", List.of("enforce", "report"))
                .toUpperCase(Locale.ROOT));
        Audit audit = new AuditWalker(problems, fields).walk(top.section("audit", AuditWalker.KEYS));
        Section domains = top.section("domains", List.of("allow", "deny"));
        List<Located<DomainPattern>> allow = fields.domains(domains, "allow");
        List<Located<DomainPattern>> deny = fields.domains(domains, "deny");
        DomainListWarnings.check(problems, allow, deny);
        Section ports = top.section("ports", List.of("connect", "http"));
        Set<Integer> connectPorts = ports(ports, "connect", 443), httpPorts = ports(ports, "http", 80);
        Upstream upstream = new UpstreamWalker(problems, fields)
                .walk(top.section("upstream", UpstreamWalker.KEYS));
        Timeouts timeouts = timeouts(top.section("timeouts", TIMEOUT_KEYS));
        Limits limits = limits(top.section("limits", LIMIT_KEYS));
        int inspectBytes = fields.integer(top.section("inspection", List.of("maxBodyBytes")), "maxBodyBytes",
                DEFAULT_INSPECT_BODY_BYTES, 1024, 16 * 1024 * 1024);
        Section tlsSection = top.section("tls", TlsWalker.KEYS);
        TlsWalker.Result tls = new TlsWalker(problems, fields).walk(tlsSection);
        AwsWalker.Result aws = new AwsWalker(problems, fields).walk(top.section("aws", AwsWalker.KEYS));
        List<PoliciesWalker.Overrides> entries = new PoliciesWalker(problems, fields).walk(top);
        crossChecks(tlsSection, aws, entries);
        String contact = fields.string(top.section("blockPage", List.of("contact")), "contact", "");
        List<Located<DomainPattern>> pacDirect = fields.domains(top.section("pac", List.of("direct")), "direct");
        Cluster cluster = new ClusterWalker(problems, fields).walk(top.section("cluster", ClusterWalker.KEYS));
        ClientAccess access = new AccessWalker(problems, fields).walk(
                top.section("clients", AccessWalker.CLIENT_KEYS), top.section("auth", AccessWalker.AUTH_KEYS), listen,
                top.keyNode("listen"));
        if (problems.hasErrors()) {
            return null;
        }
        PolicySettings policy = new PolicySettings(mode, values(allow), values(deny), connectPorts, httpPorts,
                values(tls.intercept()), tls.interceptConfigured(), inspectBytes, aws.settings(),
                values(tls.interceptExclude()));
        List<PolicyEntry> policies = entries.stream().map(o -> o.over(policy)).toList();
        return new SekishoConfig(source, listen, audit, policy, upstream, timeouts, limits, tls.tls(),
                aws.keyInfoResolver(), contact, cluster, access, admin, values(pacDirect), policies,
                problems.warningsInFileOrder());
    }

    /**
     * A version other than 1 stops the walk before anything else is read: the rest of the
     * file follows a schema this code does not know, so its keys would only produce noise.
     */
    private boolean supportedVersion(MappingNode root) {
        for (NodeTuple tuple : root.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("version")
                    && tuple.getValueNode() instanceof ScalarNode value
                    && value.getTag().equals(Tag.INT) && !value.getValue().equals("1")) {
                problems.error(value, "version: unsupported version " + value.getValue()
                        + "; this Sekisho reads version 1");
                return false;
            }
        }
        return true;
    }

    /** A missing or mistyped version is reported and the walk goes on, to find every problem. */
    private void version(Section top) {
        Node node = top.value("version");
        if (node == null) {
            problems.error(top.anchor(), "version: required; add `version: 1` at the top of the file");
        } else if (!(node instanceof ScalarNode) || !node.getTag().equals(Tag.INT)) {
            boolean quoted = node instanceof ScalarNode scalar && scalar.getValue().equals("1");
            problems.error(node, "version: expected the number 1, found " + Nodes.describe(node)
                    + (quoted ? " (remove the quotes)" : ""));
        }
    }

    private HostPort listen(Section top) {
        Node node = top.value("listen");
        if (node == null) {
            return DEFAULT_LISTEN;
        }
        String text = fields.text("listen", node);
        if (text == null) {
            return DEFAULT_LISTEN;
        }
        try {
            // Port 0 asks the OS for a free port; tests use it.
            return HostPorts.parse(text, false, 0);
        } catch (IllegalArgumentException e) {
            problems.error(node, "listen: " + e.getMessage());
            return DEFAULT_LISTEN;
        }
    }

    /** {@code admin.listen}: host:port, or {@code off}; never the proxy's own address. */
    private @Nullable HostPort adminListen(Section admin, HostPort listen) {
        Node node = admin.value("listen");
        String text = node == null ? null : fields.text("admin.listen", node);
        if (node == null || text == null) {
            return DEFAULT_ADMIN_LISTEN;
        }
        if (text.equals("off")) {
            return null;
        }
        try {
            HostPort hp = HostPorts.parse(text, false, 0);
            if (hp.equals(listen) && hp.port() != 0) {
                problems.error(node, "admin.listen: `" + text + "` is the proxy's own listen address; "
                        + "give the admin endpoints a port of their own (default 127.0.0.1:9128) or write `off`");
            }
            return hp;
        } catch (IllegalArgumentException e) {
            problems.error(node, "admin.listen: " + e.getMessage() + " (or `off`)");
            return DEFAULT_ADMIN_LISTEN;
        }
    }

    private Set<Integer> ports(Section ports, String key, int dflt) {
        List<Node> items = fields.list(ports, key);
        if (items == null) {
            return Set.of(dflt);
        }
        Set<Integer> out = new LinkedHashSet<>();
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = ports.path(key) + "[" + i + "]";
            int port = fields.integer(path, items.get(i), -1, 1, 65_535);
            if (port < 0) {
                continue;
            }
            int line = items.get(i).getStartMark().getLine() + 1;
            String earlier = seen.putIfAbsent(port, path + " (line " + line + ")");
            if (earlier != null) {
                problems.warning(items.get(i), path + ": port " + port + " is already listed as " + earlier
                        + "; remove this one");
            }
            out.add(port);
        }
        return out;
    }

    private Timeouts timeouts(Section t) {
        Timeouts d = DEFAULT_TIMEOUTS;
        return new Timeouts(
                fields.duration(t, "connect", d.connect(), MIN_TIMEOUT, MAX_TIMEOUT),
                fields.duration(t, "tlsHandshake", d.tlsHandshake(), MIN_TIMEOUT, MAX_TIMEOUT),
                fields.duration(t, "requestHeader", d.requestHeader(), MIN_TIMEOUT, MAX_TIMEOUT),
                fields.duration(t, "idle", d.idle(), MIN_TIMEOUT, MAX_TIMEOUT),
                fields.duration(t, "upstreamResponse", d.upstreamResponse(), MIN_TIMEOUT, MAX_TIMEOUT),
                // 0s is meaningful: close open exchanges at once on SIGTERM.
                fields.duration(t, "shutdownDrain", d.shutdownDrain(), Duration.ZERO, Duration.ofHours(1)),
                fields.duration(t, "requestBody", d.requestBody(), MIN_TIMEOUT, MAX_TIMEOUT));
    }

    private Limits limits(Section l) {
        Limits d = DEFAULT_LIMITS;
        Limits limits = new Limits(
                fields.integer(l, "maxHeaderBytes", d.maxHeaderBytes(), 1024, 1024 * 1024),
                fields.integer(l, "maxHeaderCount", d.maxHeaderCount(), 1, 10_000),
                fields.integer(l, "maxInitialLineBytes", d.maxInitialLineBytes(), 1024, 1024 * 1024),
                fields.integer(l, "maxConnections", d.maxConnections(), 1, 1_000_000),
                fields.integer(l, "maxConnectionsPerClient", d.maxConnectionsPerClient(), 1, 1_000_000),
                fields.integer(l, "maxPendingHeadBytes", d.maxPendingHeadBytes(), 64 * 1024, 1024 * 1024 * 1024),
                fields.integer(l, "minRequestBodyRate", d.minRequestBodyRate(), 0, 1024 * 1024 * 1024),
                fields.duration(l, "requestBodyRateWindow", d.requestBodyRateWindow(), Duration.ofSeconds(1),
                        Duration.ofMinutes(10)));
        int oneHead = limits.maxInitialLineBytes() + limits.maxHeaderBytes();
        if (l.has("maxPendingHeadBytes") && limits.maxPendingHeadBytes() < oneHead) {
            // A budget one head cannot fit in would refuse every request that uses the head limits.
            problems.error(l.value("maxPendingHeadBytes"), l.path("maxPendingHeadBytes") + ": "
                    + limits.maxPendingHeadBytes() + " is less than one request head may take (maxInitialLineBytes "
                    + limits.maxInitialLineBytes() + " + maxHeaderBytes " + limits.maxHeaderBytes() + " = " + oneHead
                    + "); raise it to at least " + oneHead);
        }
        return limits;
    }

    /** Checks that need more than one section. */
    private void crossChecks(Section tls, AwsWalker.Result aws, List<PoliciesWalker.Overrides> entries) {
        entriesNeedTls(tls, aws, entries);
        if (aws.accountsAt() != null && !tls.has("ca")) {
            // SigV4 headers, sign-in forms and ARNs travel inside TLS: without interception the
            // account list could never be applied, and a silent no-op is worse than an error.
            problems.error(aws.accountsAt(), "aws.accounts: account checks need TLS interception,"
                    + " because the evidence is inside TLS; add tls.ca");
        }
        if (tls.present() && aws.accountsAt() == null) {
            problems.warning(tls.anchor(), "tls: aws.accounts.allow is empty, so AWS account checks are off"
                    + " and intercepted AWS traffic is judged by domain rules only; list the company's accounts");
        }
    }

    /** An entry's accounts are applied inside TLS as the top level's are (see {@link #crossChecks}). */
    private void entriesNeedTls(Section tls, AwsWalker.Result aws, List<PoliciesWalker.Overrides> entries) {
        if (tls.has("ca") || aws.accountsAt() != null) {
            return; // fine, or already reported for the top level
        }
        for (PoliciesWalker.Overrides o : entries) {
            if (o.accounts() != null && !o.accounts().isEmpty()) {
                problems.error(o.at(), "policies: `" + o.name() + "` lists aws.accounts.allow, and account checks"
                        + " need TLS interception, because the evidence is inside TLS; add tls.ca");
            }
        }
    }

    private static List<DomainPattern> values(List<Located<DomainPattern>> located) {
        return located.stream().map(Located::value).toList();
    }
}
