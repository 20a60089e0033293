package io.sekisho.policy.aws.catalog;

import io.sekisho.policy.HostClass;
import io.sekisho.policy.Nullable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Reads host-catalog.txt line by line into rows; every problem names {@code file:line}. */
final class CatalogParser {
    private final String name;
    private final List<CatalogEntry> entries = new ArrayList<>();
    private final Set<String> patterns = new HashSet<>();
    private final Map<String, ServiceProfile> services = new HashMap<>();
    private @Nullable String version;
    private @Nullable RegionShape regions;
    private int lineNo;

    CatalogParser(String name) {
        this.name = name;
    }

    /** The "version" line; call after {@link #finish}, which fails when it is missing. */
    String version() {
        return Objects.requireNonNull(version, "finish() checks the version line");
    }

    /** The "regions" line; call after {@link #finish}, which fails when it is missing. */
    RegionShape regions() {
        return Objects.requireNonNull(regions, "finish() checks the regions line");
    }

    List<CatalogEntry> entries() {
        return entries;
    }

    Map<String, ServiceProfile> services() {
        return services;
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
                case "service":
                    service(line.split("\\s+"));
                    return;
                default:
                    row(requireColumns(cols, 4));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ":" + lineNo + ": " + e.getMessage(), e);
        }
    }

    void finish() {
        if (version == null || regions == null) {
            throw new IllegalArgumentException(name + ": no 'version' or 'regions' line");
        }
    }

    private static String[] requireColumns(String[] cols, int n) {
        if (cols.length < n) {
            throw new IllegalArgumentException("expected " + n + " columns");
        }
        return cols;
    }

    /** {@code service NAME PROTOCOLS [PATH…] source…}: see the file header; the source is not kept. */
    private void service(String[] cols) {
        requireColumns(cols, 4);
        Set<ServiceProfile.Protocol> protocols = EnumSet.noneOf(ServiceProfile.Protocol.class);
        for (String p : cols[2].split(",")) {
            protocols.add(ServiceProfile.Protocol.of(p));
        }
        List<String[]> paths = new ArrayList<>();
        for (int i = 3; i < cols.length && cols[i].startsWith("/"); i++) {
            paths.add(ServiceProfile.template(cols[i]));
        }
        if (services.put(cols[1], new ServiceProfile(cols[1], protocols, paths)) != null) {
            throw new IllegalArgumentException("duplicate service " + cols[1]);
        }
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
        CatalogEntry.Lead lead = pattern.startsWith("*.") ? CatalogEntry.Lead.ANY
                : pattern.startsWith("{bucket}.") ? CatalogEntry.Lead.BUCKET : CatalogEntry.Lead.NONE;
        String rest = pattern.substring(lead == CatalogEntry.Lead.ANY ? 2 : lead == CatalogEntry.Lead.BUCKET ? 9 : 0);
        List<LabelTemplate> labels = new ArrayList<>();
        for (String l : rest.split("\\.", -1)) {
            labels.add(LabelTemplate.parse(l));
        }
        String[] service = {""};
        CatalogEntry.Flags flags = flags(cols[2], service);
        entries.add(new CatalogEntry(entries.size(), pattern, lead, labels, cls, flags, service[0], cols[3].strip()));
    }

    /** The flags column: "-" or a comma-separated list; {@code svc=} goes to {@code service[0]}. */
    private static CatalogEntry.Flags flags(String column, String[] service) {
        if (column.equals("-")) {
            return CatalogEntry.Flags.NONE;
        }
        boolean s3 = false;
        boolean ap = false;
        boolean registry = false;
        boolean noBody = false;
        for (String f : column.split(",")) {
            if (f.startsWith("svc=")) {
                service[0] = f.substring(4);
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
        return new CatalogEntry.Flags(s3, ap, registry, noBody);
    }
}
