package io.sekisho.policy.aws.catalog;

import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostClassifier.Classification;
import io.sekisho.policy.Nullable;
import java.util.Map;

/**
 * What the AWS host catalog knows about one host: its class, the catalog row that matched, and
 * what the host name itself reveals (an account ID in the name, the region, the S3 bucket of a
 * virtual-hosted name). Values are cut out of the host string only when asked for.
 */
public final class HostMatch {
    static final HostMatch NOT_AWS = new HostMatch(null, "", null, Map.of(), -1, -1, -1, -1, -1);

    private final @Nullable CatalogEntry entry;
    private final String host;
    private final @Nullable RegionShape regions;
    private final Map<String, ServiceProfile> services;
    private final int leadEnd;
    private final int accountFrom;
    private final int accountTo;
    private final int regionFrom;
    private final int regionTo;
    // Cut out of the host on first use; a race computes the same immutable value twice at worst.
    private @Nullable Classification classification;
    private @Nullable String service;
    private @Nullable String region;
    private @Nullable String bucket;
    private @Nullable ServiceProfile profile;

    HostMatch(@Nullable CatalogEntry entry, String host, @Nullable RegionShape regions,
            Map<String, ServiceProfile> services,
            int leadEnd, int accountFrom, int accountTo, int regionFrom, int regionTo) {
        this.entry = entry;
        this.host = host;
        this.regions = regions;
        this.services = services;
        this.leadEnd = leadEnd;
        this.accountFrom = accountFrom;
        this.accountTo = accountTo;
        this.regionFrom = regionFrom;
        this.regionTo = regionTo;
    }

    public HostClass hostClass() {
        return entry == null ? HostClass.NOT_AWS : entry.hostClass();
    }

    /** The classification as {@link io.sekisho.policy.HostClassifier} reports it. */
    public Classification classification() {
        if (entry == null) {
            return Classification.NOT_AWS;
        }
        Classification c = classification;
        if (c == null) {
            String suffix = leadEnd < 0 ? host : host.substring(leadEnd + 1);
            c = new Classification(entry.hostClass(), suffix, entry.source());
            classification = c;
        }
        return c;
    }

    /** The catalog pattern that matched, "" for a host that is not AWS. */
    public String pattern() {
        return entry == null ? "" : entry.pattern();
    }

    /** An account ID named by the host ({@code {acct}} in the pattern), else "". */
    public String account() {
        return accountFrom < 0 ? "" : host.substring(accountFrom, accountTo);
    }

    public boolean hasAccount() {
        return accountFrom >= 0;
    }

    /** The region named by the host, else "". */
    public String region() {
        String r = region;
        if (r == null) {
            r = regionFrom >= 0 ? host.substring(regionFrom, regionTo)
                    : regions == null ? "" : regions.firstRegionLabel(host);
            region = r;
        }
        return r;
    }

    /** The S3 bucket of a virtual-hosted name ({@code {bucket}} in the pattern), else "". */
    public String bucket() {
        String b = bucket;
        if (b == null) {
            b = entry != null && entry.lead() == CatalogEntry.Lead.BUCKET ? host.substring(0, leadEnd) : "";
            bucket = b;
        }
        return b;
    }

    /** An S3 data endpoint (bucket in the host or in the first path segment). */
    public boolean isS3() {
        return entry != null && entry.flags().s3();
    }

    /** An S3 endpoint that names no bucket: access point, Object Lambda, Outposts access point. */
    public boolean isS3AccessPoint() {
        return entry != null && entry.flags().s3AccessPoint();
    }

    /** An ECR registry whose account is in the host. */
    public boolean isRegistry() {
        return entry != null && entry.flags().registry();
    }

    /** Not an AWS wire protocol: the body is never inspected. */
    public boolean noBody() {
        return entry != null && entry.flags().noBody();
    }

    /**
     * The AWS service as the host names it: the row's {@code svc=} flag, "s3" for S3 rows, else
     * the first label without a {@code -fips} suffix ({@code sts.us-east-1.amazonaws.com} → sts).
     */
    public String service() {
        String s = service;
        if (s == null) {
            s = hostService();
            service = s;
        }
        return s;
    }

    /** The catalog's {@code service} line for {@link #service()}, {@link ServiceProfile#UNKNOWN} when none. */
    public ServiceProfile profile() {
        ServiceProfile p = profile;
        if (p == null) {
            p = services.getOrDefault(service(), ServiceProfile.UNKNOWN);
            profile = p;
        }
        return p;
    }

    private String hostService() {
        if (entry == null) {
            return "";
        }
        if (!entry.service().isEmpty()) {
            return entry.service();
        }
        if (entry.flags().s3() || entry.flags().s3AccessPoint()) {
            return "s3";
        }
        int dot = host.indexOf('.');
        String first = dot < 0 ? host : host.substring(0, dot);
        return first.endsWith("-fips") ? first.substring(0, first.length() - 5) : first;
    }

    @Override
    public String toString() {
        return host + " -> " + hostClass() + (entry == null ? "" : " (" + entry.pattern() + ")");
    }
}
