package io.sekisho.policy.aws;

import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostClassifier;
import io.sekisho.policy.HostName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The built-in AWS host catalog (host-catalog.txt beside this class): classifies a host as an
 * AWS API endpoint, a sign-in/console/Identity Center host, static console content, or a
 * customer-hosted endpoint under an AWS name, and says what the name itself reveals.
 *
 * <p>The rows are compiled once into a trie walked from the rightmost label; literal labels are
 * looked up without allocating, placeholders are tried in turn, and the most specific row wins
 * (see the file header). Immutable and thread-safe.
 */
public final class AwsHostCatalog implements HostClassifier {
    private static final String RESOURCE = "host-catalog.txt";

    private final String version;
    private final RegionShape regions;
    private final List<CatalogEntry> entries;
    private final long[] specificity;
    private final Node root;

    private AwsHostCatalog(String version, RegionShape regions, List<CatalogEntry> entries) {
        this.version = version;
        this.regions = regions;
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
        return p.finish();
    }

    /** The catalog's {@code version} line, for the start-up log and the audit. */
    public String version() {
        return version;
    }

    /** The region shape of the catalog's "regions" line. */
    RegionShape regions() {
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
        Search s = new Search(host.value());
        walk(root, s.host.length(), s);
        if (s.best == null) {
            return HostMatch.NOT_AWS;
        }
        LabelTemplate.Captures c = s.bestCaptures;
        return new HostMatch(s.best, s.host, regions, s.bestLeadEnd,
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

    private static CatalogEntry pick(CatalogEntry existing, CatalogEntry e) {
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
        CatalogEntry best;
        int bestLeadEnd = -1;

        Search(String host) {
            this.host = host;
        }

        void offer(CatalogEntry e, int leadEnd) {
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
        CatalogEntry exact;
        CatalogEntry anyDepth;

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

    /** Reads host-catalog.txt line by line, collecting rows. */
    private static final class CatalogParser {
        private final String name;
        private final List<CatalogEntry> entries = new ArrayList<>();
        private final Set<String> patterns = new HashSet<>();
        private String version;
        private RegionShape regions;
        private int lineNo;

        CatalogParser(String name) {
            this.name = name;
        }

        void line(String raw) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                return;
            }
            String[] cols = line.split("\\s+", 4);
            try {
                switch (cols[0]) {
                    case "version":
                        version = requireColumns(cols, 2)[1];
                        return;
                    case "regions":
                        regions = new RegionShape(Set.copyOf(Arrays.asList(line.substring(7).strip().split("\\s+"))));
                        return;
                    default:
                        row(requireColumns(cols, 4));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }

        private static String[] requireColumns(String[] cols, int n) {
            if (cols.length < n) {
                throw new IllegalArgumentException("expected " + n + " columns");
            }
            return cols;
        }

        private void row(String[] cols) {
            if (version == null || regions == null) {
                throw new IllegalArgumentException("'version' and 'regions' must come before the rows");
            }
            String pattern = cols[0];
            if (!patterns.add(pattern)) {
                throw new IllegalArgumentException("duplicate pattern " + pattern);
            }
            HostClass cls = HostClass.valueOf(cols[1]);
            if (cls == HostClass.NOT_AWS) {
                throw new IllegalArgumentException("NOT_AWS is not a catalog class");
            }
            CatalogEntry.Lead lead = CatalogEntry.Lead.NONE;
            String rest = pattern;
            if (pattern.startsWith("*.")) {
                lead = CatalogEntry.Lead.ANY;
                rest = pattern.substring(2);
            } else if (pattern.startsWith("{bucket}.")) {
                lead = CatalogEntry.Lead.BUCKET;
                rest = pattern.substring(9);
            }
            List<LabelTemplate> labels = new ArrayList<>();
            for (String l : rest.split("\\.", -1)) {
                labels.add(LabelTemplate.parse(l));
            }
            String service = "";
            boolean s3 = false;
            boolean ap = false;
            boolean registry = false;
            boolean noBody = false;
            if (!cols[2].equals("-")) {
                for (String f : cols[2].split(",")) {
                    if (f.startsWith("svc=")) {
                        service = f.substring(4);
                    } else if (f.equals("s3")) {
                        s3 = true;
                    } else if (f.equals("s3-ap")) {
                        ap = true;
                    } else if (f.equals("registry")) {
                        registry = true;
                    } else if (f.equals("nobody")) {
                        noBody = true;
                    } else {
                        throw new IllegalArgumentException("unknown flag " + f);
                    }
                }
            }
            entries.add(new CatalogEntry(entries.size(), pattern, lead, labels, cls,
                    new CatalogEntry.Flags(s3, ap, registry, noBody), service, cols[3].strip()));
        }

        AwsHostCatalog finish() {
            if (version == null || regions == null) {
                throw new IllegalArgumentException(name + ": no 'version' or 'regions' line");
            }
            try {
                return new AwsHostCatalog(version, regions, entries);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }
    }
}
