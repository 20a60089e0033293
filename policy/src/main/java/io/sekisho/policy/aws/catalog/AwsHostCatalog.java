package io.sekisho.policy.aws.catalog;

import io.sekisho.policy.HostClassifier;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in AWS host catalog (host-catalog.txt beside this class): classifies a host as an
 * AWS API endpoint, a sign-in/console/Identity Center host, static console content, or a
 * customer-hosted endpoint under an AWS name, and says what the name itself reveals.
 *
 * <p>The rows are compiled once into a trie walked from the rightmost label; literal labels are
 * looked up without allocating, placeholders are tried in turn, and the most specific row wins
 * (see the file header). Thread-safe; the rows never change after loading, and matches are
 * memoised per host name in a bounded map.
 */
public final class AwsHostCatalog implements HostClassifier {
    private static final String RESOURCE = "host-catalog.txt";
    /** Hosts remembered; past this the memo starts again (a client cannot make it grow without end). */
    private static final int MEMO_LIMIT = 4096;

    private final String version;
    private final RegionShape regions;
    private final Map<String, ServiceProfile> services;
    private final List<CatalogEntry> entries;
    private final long[] specificity;
    private final Node root;
    /** Matches already computed: a tunnel sends many requests to one host. */
    private final ConcurrentHashMap<String, HostMatch> memo = new ConcurrentHashMap<>();

    private AwsHostCatalog(String version, RegionShape regions, Map<String, ServiceProfile> services,
            List<CatalogEntry> entries) {
        this.version = version;
        this.regions = regions;
        this.services = Map.copyOf(services);
        this.entries = List.copyOf(entries);
        this.specificity = new long[entries.size()];
        this.root = new Node();
        for (CatalogEntry e : entries) {
            specificity[e.index()] = e.specificity();
            insert(e);
        }
    }

    /** The catalog shipped in the jar, parsed on first use. */
    public static AwsHostCatalog builtIn() {
        return BuiltIn.CATALOG;
    }

    private static final class BuiltIn {
        static final AwsHostCatalog CATALOG = loadResource();

        private static AwsHostCatalog loadResource() {
            try (InputStream in = AwsHostCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                return parse(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Parses a catalog in the host-catalog.txt format.
     *
     * @throws IllegalArgumentException naming {@code name:line} and the problem
     */
    public static AwsHostCatalog parse(Reader reader, String name) throws IOException {
        CatalogParser p = new CatalogParser(name);
        BufferedReader in = new BufferedReader(reader);
        String line;
        while ((line = in.readLine()) != null) {
            p.line(line);
        }
        p.finish();
        try {
            return new AwsHostCatalog(p.version(), p.regions(), p.services(), p.entries());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** The catalog's {@code version} line, for the start-up log and the audit. */
    public String version() {
        return version;
    }

    /** The region shape of the catalog's "regions" line. */
    public RegionShape regions() {
        return regions;
    }

    /** The patterns, in file order (for tests and docs). */
    public List<String> patterns() {
        List<String> out = new ArrayList<>(entries.size());
        for (CatalogEntry e : entries) {
            out.add(e.pattern());
        }
        return out;
    }

    @Override
    public Classification classify(HostName host) {
        return match(host).classification();
    }

    /** Everything the catalog knows about {@code host}; {@link HostClass#NOT_AWS} when no row matches. */
    public HostMatch match(HostName host) {
        if (host.isIpLiteral()) {
            return HostMatch.NOT_AWS;
        }
        HostMatch known = memo.get(host.value());
        if (known != null) {
            return known;
        }
        HostMatch m = compute(host.value());
        if (memo.size() >= MEMO_LIMIT) {
            memo.clear();
        }
        memo.put(host.value(), m);
        return m;
    }

    private HostMatch compute(String hostName) {
        Search s = new Search(hostName);
        walk(root, s.host.length(), s);
        if (s.best == null) {
            return HostMatch.NOT_AWS;
        }
        LabelTemplate.Captures c = s.bestCaptures;
        return new HostMatch(s.best, s.host, regions, services, s.bestLeadEnd,
                c.accountFrom, c.accountTo, c.regionFrom, c.regionTo);
    }

    /**
     * Visits every row that can match {@code host[0, rem)} below {@code node}; {@code rem} is the
     * length of the part not yet consumed (0 when every label is consumed).
     */
    private void walk(Node node, int rem, Search s) {
        if (rem == 0) {
            s.offer(node.exact, -1);
            return;
        }
        s.offer(node.anyDepth, rem);
        String host = s.host;
        int start = host.lastIndexOf('.', rem - 1) + 1;
        int next = start == 0 ? 0 : start - 1;
        Node lit = node.literal.get(host, start, rem);
        if (lit != null) {
            walk(lit, next, s);
        }
        // Indexed loop: no iterator on the hot path.
        for (int i = 0; i < node.templates.size(); i++) {
            Edge e = node.templates.get(i);
            LabelTemplate.Captures c = s.current;
            int af = c.accountFrom;
            int at = c.accountTo;
            int rf = c.regionFrom;
            int rt = c.regionTo;
            if (e.template.matches(host, start, rem, regions, c)) {
                walk(e.node, next, s);
            }
            c.account(af, at);
            c.region(rf, rt);
        }
    }

    private void insert(CatalogEntry e) {
        Node n = root;
        List<LabelTemplate> labels = e.labels();
        for (int i = labels.size() - 1; i >= 0; i--) {
            n = n.child(labels.get(i));
        }
        if (e.lead() == CatalogEntry.Lead.NONE) {
            n.exact = pick(n.exact, e);
        } else {
            n.anyDepth = pick(n.anyDepth, e);
        }
    }

    private static CatalogEntry pick(@Nullable CatalogEntry existing, CatalogEntry e) {
        if (existing != null) {
            throw new IllegalArgumentException(
                    "catalog rows '" + existing.pattern() + "' and '" + e.pattern() + "' match the same hosts");
        }
        return e;
    }

    /** One classification in progress: the best row so far and the placeholder positions. */
    private final class Search {
        final String host;
        final LabelTemplate.Captures current = new LabelTemplate.Captures();
        final LabelTemplate.Captures bestCaptures = new LabelTemplate.Captures();
        @Nullable CatalogEntry best;
        int bestLeadEnd = -1;

        Search(String host) {
            this.host = host;
        }

        void offer(@Nullable CatalogEntry e, int leadEnd) {
            if (e == null) {
                return;
            }
            if (best == null || specificity[e.index()] > specificity[best.index()]
                    || (specificity[e.index()] == specificity[best.index()] && e.index() < best.index())) {
                best = e;
                bestLeadEnd = leadEnd;
                bestCaptures.copyFrom(current);
            }
        }
    }

    /** A trie node; built in the constructor and never changed afterwards. */
    private static final class Node {
        final LabelTable<Node> literal = new LabelTable<>();
        final List<Edge> templates = new ArrayList<>();
        @Nullable CatalogEntry exact;
        @Nullable CatalogEntry anyDepth;

        Node child(LabelTemplate label) {
            String lit = label.literal();
            if (lit != null) {
                Node n = literal.get(lit);
                if (n == null) {
                    n = new Node();
                    literal.put(lit, n);
                }
                return n;
            }
            for (Edge e : templates) {
                if (e.template.toString().equals(label.toString())) {
                    return e.node;
                }
            }
            Edge e = new Edge(label, new Node());
            templates.add(e);
            return e.node;
        }
    }

    private record Edge(LabelTemplate template, Node node) {
    }
}
